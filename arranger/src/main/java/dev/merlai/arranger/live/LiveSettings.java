package dev.merlai.arranger.live;

import dev.merlai.arranger.ArrangeOptions;
import dev.merlai.music.MeterMap;
import dev.merlai.music.Score;
import dev.merlai.music.TimeSignature;

/**
 * How a live session plays.
 *
 * @param bpm         the tempo, quarters per minute (constant through the session)
 * @param meter       one time signature, with the pickup before the first downbeat (the musician's count-in)
 * @param options     style, density, seed, drums and given chords as for {@code complete}; intro and ending do not apply
 * @param lookahead   ticks ahead of now that are committed (sent) and no longer revised; one beat by default
 * @param contextBars bars of melody before the bars being planned that the models hear (older ones are forgotten)
 */
public record LiveSettings(double bpm, MeterMap meter, ArrangeOptions options, long lookahead, int contextBars) {

    /**
     * Four bars, the best chord accuracy on the first 8 validation-tune songs at a quarter-beat look-ahead (2 bars
     * 0.375, 3 0.384, 4 0.387, 8 0.379). The chords already sent in the window are given to the harmony stage, which
     * carries them on (a bar that repeats one of them takes its chords); sent live chords are often wrong, and a
     * longer memory passes more of them on.
     */
    public static final int DEFAULT_CONTEXT_BARS = 4;

    public LiveSettings {
        if (!(bpm >= 20 && bpm <= 400)) throw new IllegalArgumentException("tempo must be 20..400 bpm, was " + bpm);
        if (meter.changes().size() != 1) throw new IllegalArgumentException("a live session keeps one time signature");
        long bar = meter.changes().get(0).barTicks();
        if (lookahead < 0 || lookahead > bar) {
            throw new IllegalArgumentException("the look-ahead must be 0..one bar (" + bar + " ticks), was " + lookahead);
        }
        if (contextBars < 1) throw new IllegalArgumentException("contextBars must be at least 1, was " + contextBars);
    }

    /** A session committing one beat ahead, hearing the last {@link #DEFAULT_CONTEXT_BARS} bars. */
    public static LiveSettings of(double bpm, MeterMap meter, ArrangeOptions options) {
        return new LiveSettings(bpm, meter, options, meter.changes().get(0).beatTicks(), DEFAULT_CONTEXT_BARS);
    }

    /** The session's one time signature. */
    public TimeSignature signature() {
        return meter.changes().get(0);
    }

    public long beatTicks() {
        return signature().beatTicks();
    }

    /** Milliseconds to ticks at the session's tempo. */
    public long ticks(double millis) {
        return Math.round(millis * bpm * Score.TICKS_PER_QUARTER / 60_000.0);
    }

    /** Ticks to milliseconds at the session's tempo. */
    public double millis(long ticks) {
        return ticks * 60_000.0 / (bpm * Score.TICKS_PER_QUARTER);
    }
}
