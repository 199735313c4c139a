package dev.merlai.render;

import com.sun.media.sound.AudioSynthesizer;
import com.sun.media.sound.SoftSynthesizer;
import dev.merlai.music.Note;
import dev.merlai.music.PedalSpan;
import dev.merlai.music.Role;
import dev.merlai.music.Score;
import dev.merlai.music.Track;

import javax.sound.midi.InvalidMidiDataException;
import javax.sound.midi.MidiMessage;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.MidiUnavailableException;
import javax.sound.midi.Receiver;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Soundbank;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * Renders a {@link Score} to audio offline, with Gervill (the JDK's software synthesizer) and a General MIDI
 * SoundFont. No sound device is needed.
 *
 * <p>Output: a WAV file, 16-bit signed little-endian PCM, {@value #SAMPLE_RATE} Hz, stereo (88,200 bytes per
 * second, about 5.3 MB per minute). The audio starts at tick 0 and lasts {@link Score#durationSeconds()} (following
 * the tempo map) plus a release tail of {@value #TAIL_SECONDS} s, but at most {@link #maxSeconds()} in all: what lies
 * beyond that limit is cut off, so a huge input cannot produce a huge file.
 *
 * <p>Each track plays its {@link Track#program()} (General MIDI, 0..127) on its {@link Track#channel()} with the
 * notes' velocities and its sustain-pedal spans (CC 64). A track on channel 9, or with {@link Role#DRUMS}, plays the
 * drum kit on channel 9. When two melodic tracks share a channel but not a program, the later one moves to a free
 * channel (not 9) so that each keeps its instrument; when none is free, it stays and takes the earlier one's
 * program. On one channel, a note still sounding when another of the same pitch starts is ended there (as
 * {@link dev.merlai.music.midi.MidiWriter} does). At one instant, note-offs come before pedal changes and note-ons.
 *
 * <p>{@link #stems} renders each track alone, as it sounds in the mix, for a DAW: the stems have the mix's format and
 * length and add up to it.
 *
 * <p>The SoundFont is read into memory once, by the constructor; every {@link #wav} and {@link #stems} call runs a synthesizer of its
 * own over that shared, read-only sound bank, so one instance may serve several threads at once.
 */
public final class AudioPreview {

    /** Sample rate of the output, in Hz. */
    public static final int SAMPLE_RATE = 22_050;
    /** Seconds of audio after the end of the score, for releases and reverb to fade. */
    public static final double TAIL_SECONDS = 2.0;
    /** Default cap on the length of a rendering, in seconds. */
    public static final double DEFAULT_MAX_SECONDS = 600;
    /** Where Debian's {@code timgm6mb-soundfont} package puts its General MIDI SoundFont (6 MB). */
    public static final Path DEFAULT_SOUNDFONT = Path.of("/usr/share/sounds/sf2/TimGM6mb.sf2");
    /** Where Debian's {@code fluid-soundfont-gm} package puts its General MIDI SoundFont (148 MB); used when the default is missing. */
    public static final Path FALLBACK_SOUNDFONT = Path.of("/usr/share/sounds/sf2/FluidR3_GM.sf2");
    /** System property that overrides {@link #DEFAULT_SOUNDFONT} in {@link #soundFontPath()}. */
    public static final String SOUNDFONT_PROPERTY = "merlai.soundfont";
    /** Environment variable that overrides {@link #DEFAULT_SOUNDFONT} in {@link #soundFontPath()}, after the property. */
    public static final String SOUNDFONT_ENV = "MERLAI_SOUNDFONT";

    private static final AudioFormat FORMAT = new AudioFormat(SAMPLE_RATE, 16, 2, true, false);
    private static final int CHANNELS = 16;
    /** Order of events at one instant: lower first. */
    private static final int NOTE_OFF = 0, PEDAL_UP = 1, SETUP = 2, PEDAL_DOWN = 3, NOTE_ON = 4;

    private final Soundbank soundbank;
    private final double maxSeconds;

    /**
     * Loads the SoundFont; renderings are capped at {@value #DEFAULT_MAX_SECONDS} s.
     *
     * @param soundFont path of a General MIDI SoundFont 2 ({@code .sf2}) file
     * @throws IOException when the file is missing or is not a SoundFont
     */
    public AudioPreview(Path soundFont) throws IOException {
        this(soundFont, DEFAULT_MAX_SECONDS);
    }

    /**
     * Loads the SoundFont.
     *
     * @param soundFont  path of a General MIDI SoundFont 2 ({@code .sf2}) file
     * @param maxSeconds the longest rendering, in seconds, tail included; greater than 0
     * @throws IOException when the file is missing or is not a SoundFont
     */
    public AudioPreview(Path soundFont, double maxSeconds) throws IOException {
        if (!(maxSeconds > 0)) throw new IllegalArgumentException("maxSeconds must be > 0, was " + maxSeconds);
        if (!Files.isRegularFile(soundFont)) {
            throw new NoSuchFileException(soundFont.toString(), null,
                    "SoundFont not found (install the Debian package timgm6mb-soundfont, or set " + SOUNDFONT_PROPERTY
                            + " / " + SOUNDFONT_ENV + " to an .sf2 file)");
        }
        // Read from a stream, the bank holds every sample in memory: nothing touches the file after this.
        try (InputStream in = new BufferedInputStream(Files.newInputStream(soundFont), 1 << 16)) {
            this.soundbank = MidiSystem.getSoundbank(in);
        } catch (InvalidMidiDataException e) {
            throw new IOException("not a SoundFont: " + soundFont + " (" + e.getMessage() + ")", e);
        }
        this.maxSeconds = maxSeconds;
    }

    /**
     * The SoundFont to use: the system property {@value #SOUNDFONT_PROPERTY}, else the environment variable
     * {@value #SOUNDFONT_ENV}, else the first of {@link #DEFAULT_SOUNDFONT} and {@link #FALLBACK_SOUNDFONT} that
     * exists, else {@link #DEFAULT_SOUNDFONT} (which the constructor then reports missing).
     */
    public static Path soundFontPath() {
        String configured = System.getProperty(SOUNDFONT_PROPERTY);
        if (configured == null || configured.isBlank()) configured = System.getenv(SOUNDFONT_ENV);
        if (configured != null && !configured.isBlank()) return Path.of(configured);
        return Files.isRegularFile(DEFAULT_SOUNDFONT) || !Files.isRegularFile(FALLBACK_SOUNDFONT) ? DEFAULT_SOUNDFONT : FALLBACK_SOUNDFONT;
    }

    /** The longest rendering, in seconds, tail included. */
    public double maxSeconds() {
        return maxSeconds;
    }

    /**
     * Renders the score.
     *
     * @param score the score; times in ticks, turned into seconds by its tempo map
     * @return a WAV file (see the class comment for the format and length)
     * @throws IllegalArgumentException when the score has no notes
     */
    public byte[] wav(Score score) {
        if (score.noteCount() == 0) throw new IllegalArgumentException("the score has no notes to render");
        return render(score, events(score, track -> true));
    }

    /**
     * Renders each track alone, as it sounds in {@link #wav}: same channel, program and pedal, same length. The stems
     * add up to the mix sample by sample (within rounding, and as long as the mix does not reach full scale, where
     * Gervill's limiter starts to act on the mix alone).
     *
     * @param score the score
     * @return one stem per track, in the score's track order; a track without notes gives a silent stem
     * @throws IllegalArgumentException when the score has no notes
     */
    public List<Stem> stems(Score score) {
        if (score.noteCount() == 0) throw new IllegalArgumentException("the score has no notes to render");
        List<Stem> stems = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        for (int i = 0; i < score.tracks().size(); i++) {
            int only = i;
            stems.add(new Stem(stemName(score.tracks().get(i), i, taken), render(score, events(score, track -> track == only))));
        }
        return stems;
    }

    /**
     * One track rendered alone.
     *
     * @param name a file name for it: the track's name made safe for file systems and object keys, unique in the
     *             score, with {@code .wav}
     * @param wav  the WAV, in the format and length of the mix
     */
    public record Stem(String name, byte[] wav) {
    }

    /** The track's name in lower case, other characters than letters, digits, '.', '-' and '_' as '-'; {@code track-N} when that leaves nothing; {@code -2}, {@code -3}, ... for repeats. */
    private static String stemName(Track track, int index, Set<String> taken) {
        String base = track.name() == null ? "" : track.name().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-").replaceAll("^[-._]+|[-._]+$", "");
        if (base.length() > 50) base = base.substring(0, 50);
        if (base.isEmpty()) base = "track-" + (index + 1);
        String name = base;
        for (int repeat = 2; !taken.add(name); repeat++) name = base + "-" + repeat;
        return name + ".wav";
    }

    /** Plays the events through a synthesizer of its own, for the score's length (see the class comment). */
    private byte[] render(Score score, List<Event> events) {
        double seconds = Math.min(score.durationSeconds() + TAIL_SECONDS, maxSeconds);
        long frames = Math.round(seconds * SAMPLE_RATE);
        AudioSynthesizer synth = new SoftSynthesizer();
        try {
            AudioInputStream stream = synth.openStream(FORMAT, Map.of(
                    "load default soundbank", false,
                    "sample rate", (float) SAMPLE_RATE,
                    "max polyphony", 256));
            try {
                if (!synth.loadAllInstruments(soundbank)) throw new IllegalStateException("Gervill rejected the SoundFont");
                Receiver receiver = synth.getReceiver();
                long lastMicros = (long) (seconds * 1_000_000);
                for (Event event : events) {
                    long micros = Math.round(score.tempo().seconds(event.tick) * 1_000_000);
                    if (micros >= lastMicros) break;
                    receiver.send(event.message, micros);
                }
                ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 64, frames * FORMAT.getFrameSize() + 44));
                AudioSystem.write(new AudioInputStream(stream, FORMAT, frames), AudioFileFormat.Type.WAVE, out);
                return out.toByteArray();
            } finally {
                stream.close();
            }
        } catch (MidiUnavailableException e) {
            throw new IllegalStateException("Gervill could not start: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("rendering to memory failed", e);
        } finally {
            synth.close();
        }
    }

    /** One MIDI message at a tick. */
    private record Event(long tick, int order, int sequence, MidiMessage message) {
    }

    /** A note and the index of the track it belongs to. */
    private record TrackNote(int track, Note note) {
    }

    /**
     * The messages that play the tracks {@code playing} picks (by index) as they sound in the whole score, sorted by
     * tick, then {@link #NOTE_OFF}..{@link #NOTE_ON} order, then creation. A picked track's channel gets its program
     * and all of its pedal, and its notes end where the whole score's notes on that channel end them, so that the
     * tracks rendered one at a time add up to the mix.
     */
    private static List<Event> events(Score score, IntPredicate playing) {
        List<Event> events = new ArrayList<>();
        Map<Integer, List<TrackNote>> notesByChannel = new HashMap<>();
        Map<Integer, List<PedalSpan>> pedalByChannel = new HashMap<>();
        Set<Integer> heard = new HashSet<>();
        int[] channels = channels(score.tracks());
        for (int i = 0; i < channels.length; i++) {
            if (playing.test(i)) heard.add(channels[i]);
        }
        boolean[] programSet = new boolean[CHANNELS];
        for (int i = 0; i < channels.length; i++) {
            Track track = score.tracks().get(i);
            int channel = channels[i];
            if (!heard.contains(channel)) continue;
            for (Note note : track.notes()) notesByChannel.computeIfAbsent(channel, c -> new ArrayList<>()).add(new TrackNote(i, note));
            pedalByChannel.computeIfAbsent(channel, c -> new ArrayList<>()).addAll(track.sustain());
            if (channel != Track.DRUM_CHANNEL && !programSet[channel]) {
                add(events, 0, SETUP, ShortMessage.PROGRAM_CHANGE, channel, track.program(), 0);
                programSet[channel] = true;
            }
        }
        notesByChannel.forEach((channel, notes) -> addNotes(events, channel, notes, playing));
        pedalByChannel.forEach((channel, spans) -> addPedal(events, channel, spans));
        events.sort(Comparator.comparingLong(Event::tick).thenComparingInt(Event::order).thenComparingInt(Event::sequence));
        return events;
    }

    /**
     * The channel each track plays on, same index as the tracks: drums on 9; a melodic track on its own channel
     * unless an earlier track holds it with another program, then on the lowest free one.
     */
    private static int[] channels(List<Track> tracks) {
        int[] result = new int[tracks.size()];
        Integer[] programOf = new Integer[CHANNELS];
        for (int i = 0; i < tracks.size(); i++) {
            Track track = tracks.get(i);
            if (track.channel() == Track.DRUM_CHANNEL || track.role() == Role.DRUMS) {
                result[i] = Track.DRUM_CHANNEL;
                continue;
            }
            int channel = track.channel();
            if (programOf[channel] != null && programOf[channel] != track.program()) {
                for (int free = 0; free < CHANNELS; free++) {
                    if (free != Track.DRUM_CHANNEL && programOf[free] == null) {
                        channel = free;
                        break;
                    }
                }
            }
            if (programOf[channel] == null) programOf[channel] = track.program();
            result[i] = channel;
        }
        return result;
    }

    /** The picked tracks' notes on one channel; a note ends where the next note of its pitch on the channel starts, whichever track that is on. */
    private static void addNotes(List<Event> events, int channel, List<TrackNote> notes, IntPredicate playing) {
        List<TrackNote> sorted = new ArrayList<>(notes);
        sorted.sort(Comparator.comparingLong((TrackNote n) -> n.note().onset()).thenComparingInt(n -> n.note().pitch())
                .thenComparingLong(n -> n.note().duration()).thenComparingInt(TrackNote::track));
        Map<Integer, Long> nextOnset = new HashMap<>();
        for (int i = sorted.size() - 1; i >= 0; i--) {
            Note note = sorted.get(i).note();
            Long next = nextOnset.put(note.pitch(), note.onset());
            long end = next == null ? note.end() : Math.min(note.end(), next);
            if (end <= note.onset() || !playing.test(sorted.get(i).track())) continue;
            add(events, note.onset(), NOTE_ON, ShortMessage.NOTE_ON, channel, note.pitch(), note.velocity());
            add(events, end, NOTE_OFF, ShortMessage.NOTE_OFF, channel, note.pitch(), 0);
        }
    }

    /** Pedal down and up for each span; overlapping spans (from tracks sharing the channel) are merged, touching ones re-pedal. */
    private static void addPedal(List<Event> events, int channel, List<PedalSpan> spans) {
        List<PedalSpan> sorted = new ArrayList<>(spans);
        sorted.sort(Comparator.comparingLong(PedalSpan::onset));
        long onset = -1, end = -1;
        for (PedalSpan span : sorted) {
            if (onset >= 0 && span.onset() < end) {
                end = Math.max(end, span.end());
                continue;
            }
            if (onset >= 0) addPedalSpan(events, channel, onset, end);
            onset = span.onset();
            end = span.end();
        }
        if (onset >= 0) addPedalSpan(events, channel, onset, end);
    }

    private static void addPedalSpan(List<Event> events, int channel, long onset, long end) {
        add(events, onset, PEDAL_DOWN, ShortMessage.CONTROL_CHANGE, channel, 64, 127);
        add(events, end, PEDAL_UP, ShortMessage.CONTROL_CHANGE, channel, 64, 0);
    }

    private static void add(List<Event> events, long tick, int order, int command, int channel, int data1, int data2) {
        try {
            events.add(new Event(tick, order, events.size(), new ShortMessage(command, channel, data1, data2)));
        } catch (InvalidMidiDataException e) {
            throw new IllegalStateException("invalid MIDI message built from a valid score", e);
        }
    }
}
