package dev.merlai.render;

import dev.merlai.music.Bar;
import dev.merlai.music.ChordSpan;
import dev.merlai.music.Note;
import dev.merlai.music.Role;
import dev.merlai.music.Score;
import dev.merlai.music.Track;
import dev.merlai.music.theory.Spelling;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Draws a {@link Score} as a piano roll, a PNG picture; no display is needed (AWT runs headless).
 *
 * <p>Layout, in pixels:
 * <ul>
 *   <li>Time runs left to right over the whole bars that cover the score ({@link dev.merlai.music.MeterMap#bars}):
 *       {@value #PX_PER_QUARTER} px per quarter note (96 px per 4/4 bar), the plot kept between
 *       {@value #MIN_PLOT_WIDTH} and {@value #MAX_PLOT_WIDTH} px wide by stretching or compressing time. The picture
 *       is {@value #LEFT} + plot + {@value #RIGHT} px wide, so at most {@value #MAX_WIDTH} px.</li>
 *   <li>Pitch runs bottom to top, {@value #ROW_HEIGHT} px per semitone, over the pitches of the pitched notes with
 *       {@value #PITCH_MARGIN} semitones above and below, at least {@value #MIN_PITCH_ROWS} semitones (default range
 *       around middle C when there are none). Each C is labelled (C4 = MIDI 60), black-key rows are shaded.</li>
 *   <li>From the top: a {@value #LEGEND_HEIGHT} px legend (a swatch and the name of each track with notes), two rows
 *       of chord names ({@link dev.merlai.music.Chord#commonName}, spelled in the key, {@value #CHORD_ROW_HEIGHT} px each, written at their
 *       onsets, a label that fits neither row is left out), the plot, then when a drum track has notes a
 *       {@value #DRUM_LANE_HEIGHT} px lane of drum hits (pitch means instrument there, not height), then
 *       {@value #BOTTOM} px of bar numbers.</li>
 *   <li>Bar lines at each downbeat (dark), beat lines (light) where beats are at least 6 px apart.</li>
 *   <li>Colours: the melody in opaque {@link #MELODY_COLOR} with a dark outline, drawn on top; the other tracks in
 *       half-transparent colours of a fixed palette, in track order; drums in grey.</li>
 * </ul>
 */
public final class PianoRoll {

    static {
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    /** Horizontal scale before stretching or compressing, in pixels per quarter note. */
    public static final int PX_PER_QUARTER = 24;
    /** Narrowest plot, in pixels; shorter scores are stretched to it. */
    public static final int MIN_PLOT_WIDTH = 420;
    /** Widest plot, in pixels; longer scores are compressed to it. */
    public static final int MAX_PLOT_WIDTH = 3940;
    /** Left margin (pitch labels), in pixels. */
    public static final int LEFT = 44;
    /** Right margin, in pixels. */
    public static final int RIGHT = 16;
    /** Widest picture, in pixels. */
    public static final int MAX_WIDTH = LEFT + MAX_PLOT_WIDTH + RIGHT;
    /** Height of one semitone, in pixels. */
    public static final int ROW_HEIGHT = 6;
    /** Semitones shown above the highest and below the lowest note. */
    public static final int PITCH_MARGIN = 3;
    /** Fewest semitones shown. */
    public static final int MIN_PITCH_ROWS = 25;
    /** Height of the legend band at the top, in pixels. */
    public static final int LEGEND_HEIGHT = 24;
    /** Height of one of the two chord-label rows, in pixels. */
    public static final int CHORD_ROW_HEIGHT = 14;
    /** Height of the drum lane under the plot, in pixels (only when drums have notes). */
    public static final int DRUM_LANE_HEIGHT = 24;
    /** Gap between the plot and the drum lane, in pixels. */
    public static final int DRUM_GAP = 4;
    /** Height of the bar-number band at the bottom, in pixels. */
    public static final int BOTTOM = 18;
    /** Fill colour of melody notes. */
    public static final Color MELODY_COLOR = new Color(0xD62728);

    private static final int TOP = LEGEND_HEIGHT + 2 * CHORD_ROW_HEIGHT;
    private static final Color MELODY_OUTLINE = new Color(0x6E0F10);
    private static final Color DRUM_COLOR = new Color(0x50, 0x50, 0x50, 190);
    private static final int[] PALETTE = {0x1F77B4, 0x2CA02C, 0xFF7F0E, 0x9467BD, 0x8C564B, 0x17BECF, 0xBCBD22, 0xE377C2};
    private static final Color BLACK_KEY_ROW = new Color(0xF1F1F4);
    private static final Color C_LINE = new Color(0xC8C8D0);
    private static final Color BEAT_LINE = new Color(0xE2E2E2);
    private static final Color BAR_LINE = new Color(0x5A5A5A);
    private static final Color TEXT = new Color(0x202020);
    private static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    private static final Font BOLD = FONT.deriveFont(Font.BOLD);

    public PianoRoll() {
    }

    /**
     * Draws the score.
     *
     * @param score the score; an empty one gives an empty grid of one bar
     * @return a PNG picture, 24-bit RGB, of the size {@link #layout} gives
     */
    public byte[] png(Score score) {
        BufferedImage image = image(score);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", out)) throw new IllegalStateException("no PNG writer in this JDK");
        } catch (IOException e) {
            throw new UncheckedIOException("writing a PNG to memory failed", e);
        }
        return out.toByteArray();
    }

    /**
     * Where things go for one score.
     *
     * @param width      picture width, in pixels
     * @param height     picture height, in pixels
     * @param endTick    the tick at the right edge of the plot (end of the last bar)
     * @param plotWidth  width of the plot, in pixels
     * @param lowPitch   lowest MIDI pitch shown (bottom row)
     * @param highPitch  highest MIDI pitch shown (top row)
     * @param drumLane   whether there is a drum lane
     */
    record Layout(int width, int height, long endTick, int plotWidth, int lowPitch, int highPitch, boolean drumLane) {

        /** Left edge of a tick, in pixels from the left of the picture. */
        int x(long tick) {
            return LEFT + (int) Math.round((double) tick * plotWidth / endTick);
        }

        /** Top edge of the row of a pitch, in pixels from the top of the picture. */
        int y(int pitch) {
            return TOP + (highPitch - pitch) * ROW_HEIGHT;
        }

        int plotBottom() {
            return TOP + (highPitch - lowPitch + 1) * ROW_HEIGHT;
        }

        int drumLaneTop() {
            return plotBottom() + DRUM_GAP;
        }
    }

    /** The layout of a score's picture (see the class comment). */
    static Layout layout(Score score) {
        List<Bar> bars = score.meter().bars(Math.max(1, score.endTick()));
        long endTick = bars.get(bars.size() - 1).end();
        long natural = Math.round((double) endTick * PX_PER_QUARTER / Score.TICKS_PER_QUARTER);
        int plotWidth = (int) Math.max(MIN_PLOT_WIDTH, Math.min(MAX_PLOT_WIDTH, natural));
        int low = Integer.MAX_VALUE, high = Integer.MIN_VALUE;
        boolean drums = false;
        for (Track track : score.tracks()) {
            if (isDrums(track)) {
                drums |= !track.notes().isEmpty();
                continue;
            }
            for (Note note : track.notes()) {
                low = Math.min(low, note.pitch());
                high = Math.max(high, note.pitch());
            }
        }
        if (low > high) {
            low = 60;
            high = 60;
        }
        low -= PITCH_MARGIN;
        high += PITCH_MARGIN;
        while (high - low + 1 < MIN_PITCH_ROWS) {
            if (high < 127) high++;
            if (high - low + 1 < MIN_PITCH_ROWS && low > 0) low--;
        }
        low = Math.max(0, low);
        high = Math.min(127, high);
        int height = TOP + (high - low + 1) * ROW_HEIGHT + (drums ? DRUM_GAP + DRUM_LANE_HEIGHT : 0) + BOTTOM;
        return new Layout(LEFT + plotWidth + RIGHT, height, endTick, plotWidth, low, high, drums);
    }

    private static BufferedImage image(Score score) {
        Layout layout = layout(score);
        BufferedImage image = new BufferedImage(layout.width(), layout.height(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, layout.width(), layout.height());
            g.setFont(FONT);
            pitchRows(g, layout);
            bars(g, score, layout);
            chords(g, score, layout);
            List<Color> colors = colors(score.tracks());
            notes(g, score.tracks(), colors, layout);
            legend(g, score.tracks(), colors, layout);
        } finally {
            g.dispose();
        }
        return image;
    }

    private static boolean isDrums(Track track) {
        return track.channel() == Track.DRUM_CHANNEL || track.role() == Role.DRUMS;
    }

    private static boolean isBlackKey(int pitch) {
        int pc = pitch % 12;
        return pc == 1 || pc == 3 || pc == 6 || pc == 8 || pc == 10;
    }

    private static void pitchRows(Graphics2D g, Layout layout) {
        int right = LEFT + layout.plotWidth();
        FontMetrics metrics = g.getFontMetrics();
        for (int pitch = layout.lowPitch(); pitch <= layout.highPitch(); pitch++) {
            int y = layout.y(pitch);
            if (isBlackKey(pitch)) {
                g.setColor(BLACK_KEY_ROW);
                g.fillRect(LEFT, y, layout.plotWidth(), ROW_HEIGHT);
            }
            if (pitch % 12 == 0) {
                g.setColor(C_LINE);
                g.drawLine(LEFT, y + ROW_HEIGHT - 1, right, y + ROW_HEIGHT - 1);
                g.setColor(TEXT);
                String label = "C" + (pitch / 12 - 1);
                g.drawString(label, LEFT - 6 - metrics.stringWidth(label), y + ROW_HEIGHT / 2 + metrics.getAscent() / 2 - 1);
            }
        }
        if (layout.drumLane()) {
            g.setColor(BLACK_KEY_ROW);
            g.fillRect(LEFT, layout.drumLaneTop(), layout.plotWidth(), DRUM_LANE_HEIGHT);
            g.setColor(TEXT);
            String label = "Drums";
            g.drawString(label, LEFT - 4 - metrics.stringWidth(label),
                    layout.drumLaneTop() + DRUM_LANE_HEIGHT / 2 + metrics.getAscent() / 2 - 1);
        }
    }

    private static void bars(Graphics2D g, Score score, Layout layout) {
        List<Bar> bars = score.meter().bars(layout.endTick());
        int top = TOP;
        int bottom = layout.drumLane() ? layout.drumLaneTop() + DRUM_LANE_HEIGHT : layout.plotBottom();
        for (Bar bar : bars) {
            long beatTicks = bar.timeSignature().beatTicks();
            if (layout.x(beatTicks) - layout.x(0) >= 6) {
                g.setColor(BEAT_LINE);
                for (long tick = bar.start() + beatTicks; tick < bar.end(); tick += beatTicks) {
                    g.drawLine(layout.x(tick), top, layout.x(tick), bottom - 1);
                }
            }
        }
        g.setColor(BAR_LINE);
        for (Bar bar : bars) g.drawLine(layout.x(bar.start()), top, layout.x(bar.start()), bottom - 1);
        g.drawLine(layout.x(layout.endTick()), top, layout.x(layout.endTick()), bottom - 1);
        // Bar numbers: every k-th bar (k a power of 2) so that numbers stand at least 28 px apart.
        double barPixels = (double) layout.plotWidth() / bars.size();
        int every = 1;
        while (every * barPixels < 28) every *= 2;
        g.setColor(TEXT);
        int baseline = bottom + BOTTOM - 5;
        for (Bar bar : bars) {
            if (bar.number() >= 1 && (bar.number() - 1) % every == 0) {
                g.drawString(Integer.toString(bar.number()), layout.x(bar.start()) + 2, baseline);
            }
        }
    }

    private static void chords(Graphics2D g, Score score, Layout layout) {
        FontMetrics metrics = g.getFontMetrics();
        int[] freeFrom = {Integer.MIN_VALUE, Integer.MIN_VALUE};
        g.setColor(TEXT);
        for (ChordSpan span : score.chords()) {
            if (span.chord().isNone()) continue;
            String label = span.chord().commonName(score.keyAt(span.onset()).orElse(Spelling.NO_KEY));
            int x = layout.x(span.onset()) + 2;
            for (int row = 0; row < 2; row++) {
                if (x >= freeFrom[row]) {
                    g.drawString(label, x, LEGEND_HEIGHT + (row + 1) * CHORD_ROW_HEIGHT - 3);
                    freeFrom[row] = x + metrics.stringWidth(label) + 4;
                    break;
                }
            }
        }
    }

    /** One colour per track, same index: melody red, drums grey, the others from the palette in order. */
    private static List<Color> colors(List<Track> tracks) {
        List<Color> colors = new ArrayList<>();
        int next = 0;
        for (Track track : tracks) {
            if (track.role() == Role.MELODY) {
                colors.add(MELODY_COLOR);
            } else if (isDrums(track)) {
                colors.add(DRUM_COLOR);
            } else {
                colors.add(new Color((0x99 << 24) | PALETTE[next++ % PALETTE.length], true));
            }
        }
        return colors;
    }

    private static void notes(Graphics2D g, List<Track> tracks, List<Color> colors, Layout layout) {
        int melody = -1;
        for (int i = 0; i < tracks.size(); i++) {
            Track track = tracks.get(i);
            if (track.role() == Role.MELODY) {
                melody = i;
                continue;
            }
            g.setColor(colors.get(i));
            for (Note note : track.notes()) {
                int x = layout.x(note.onset());
                int width = Math.max(2, layout.x(note.end()) - x);
                if (isDrums(track)) {
                    g.fillRect(x, layout.drumLaneTop() + 2, 2, DRUM_LANE_HEIGHT - 4);
                } else {
                    g.fillRect(x, layout.y(note.pitch()), width, ROW_HEIGHT - 1);
                }
            }
        }
        if (melody < 0) return;
        Track track = tracks.get(melody);
        boolean drums = isDrums(track);
        for (Note note : track.notes()) {
            int x = layout.x(note.onset());
            int width = Math.max(3, layout.x(note.end()) - x);
            int y = drums ? layout.drumLaneTop() + 2 : layout.y(note.pitch());
            int height = drums ? DRUM_LANE_HEIGHT - 4 : ROW_HEIGHT - 1;
            g.setColor(MELODY_COLOR);
            g.fillRect(x, y, width, height);
            g.setColor(MELODY_OUTLINE);
            g.drawRect(x, y, width - 1, height - 1);
        }
    }

    private static void legend(Graphics2D g, List<Track> tracks, List<Color> colors, Layout layout) {
        FontMetrics metrics = g.getFontMetrics(BOLD);
        int x = LEFT;
        for (int i = 0; i < tracks.size(); i++) {
            Track track = tracks.get(i);
            if (track.notes().isEmpty()) continue;
            String label = track.name().equalsIgnoreCase(track.role().trackName()) || track.name().equalsIgnoreCase(track.role().id())
                    ? track.role().id() : track.name() + " (" + track.role().id() + ")";
            if (x + 16 + metrics.stringWidth(label) > layout.width()) break;
            g.setColor(colors.get(i));
            g.fillRect(x, 6, 12, 12);
            g.setFont(track.role() == Role.MELODY ? BOLD : FONT);
            g.setColor(TEXT);
            g.drawString(label, x + 16, 16);
            x += 16 + metrics.stringWidth(label) + 14;
        }
        g.setFont(FONT);
    }
}
