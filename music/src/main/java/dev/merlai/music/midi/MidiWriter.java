package dev.merlai.music.midi;

import dev.merlai.music.ChordSpan;
import dev.merlai.music.KeySignature;
import dev.merlai.music.MeterMap;
import dev.merlai.music.Note;
import dev.merlai.music.PedalSpan;
import dev.merlai.music.Score;
import dev.merlai.music.TempoMap;
import dev.merlai.music.TimeSignature;
import dev.merlai.music.Track;
import dev.merlai.music.theory.Spelling;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes a {@link Score} as a Standard MIDI File, format 1, {@link Score#TICKS_PER_QUARTER} ticks per quarter note.
 *
 * <ul>
 *   <li>MTrk 0 is the conductor track: tempo changes (0x51), time signatures (0x58) and key signatures (0x59).</li>
 *   <li>Then one MTrk per {@link Track}, in order: a track-name meta event with {@link Track#name()} (UTF-8), a
 *       program change to {@link Track#program()} on {@link Track#channel()} at tick 0, the notes, and sustain
 *       pedal spans as CC 64 127 (down) / 0 (up). Overlapping pedal spans are merged. At one tick, note-offs come
 *       before pedal changes and note-ons.</li>
 *   <li>A note that still sounds when a later note of the same pitch in its track starts is ended at that
 *       onset, so the two cannot corrupt each other; notes of one pitch that start together are all written, and
 *       a reader pairing note-offs first in, first out gets them back.</li>
 *   <li>When {@link Score#chords()} is not empty, a last MTrk named {@code CHORDS} holds each label as a marker
 *       (0x06) at its onset, in its common name spelled in the key at that tick
 *       ({@link dev.merlai.music.Chord#commonName}, e.g. {@code Gbm7/Db}, {@code N.C.}): DAWs show markers in their
 *       marker lane, and no text event is written, which notation programs would turn into lyrics. Where a chord
 *       ends before the next one starts, an empty marker marks the end; the MTrk's end-of-track is at the end of
 *       the last chord. {@link MidiReader} reads this back.</li>
 *   <li>A pickup ({@link MeterMap#pickup()} &gt; 0) has no SMF form of its own: the writer puts a time signature as
 *       long as the pickup at tick 0 (e.g. 1/4 for a one-quarter pickup, the smallest denominator that expresses
 *       it) and the real first time signature at the pickup's end. {@link MidiReader} turns that pattern back into
 *       a pickup, so the meter map survives a round trip. The first downbeat Merlai infers in played-in MIDI lies
 *       anywhere: a pickup of 285 ticks is written as 19/128. One that no time signature expresses (not a whole
 *       number of 128th notes, or more than 64 of them and an odd number, such as 97/128) is shortened to the longest
 *       below it that one does, and every later bar line with it, so that the bar lines sit less than two 128th
 *       notes before the beats they belong to (and read back so); one shorter than a 128th is left out. Conversely,
 *       a score without pickup whose first bar is shorter than the second and holds exactly one bar of its own time
 *       signature reads back as one with a pickup.</li>
 * </ul>
 * Delta times above 0x0FFFFFFF ticks (about 560,000 quarter notes) and more than 65,534 tracks cannot be encoded;
 * such a score is rejected with an {@link IllegalArgumentException}.
 */
public final class MidiWriter {

    private static final int MAX_DELTA = 0x0FFFFFFF;
    /** Order of events at one tick: lower first. */
    private static final int FIRST = 0, NOTE_OFF = 1, PEDAL_UP = 2, PEDAL_DOWN = 3, NOTE_ON = 4;

    public MidiWriter() {
    }

    /**
     * Encodes the score.
     *
     * @param score the score; all times in model ticks
     * @return the bytes of a format-1 Standard MIDI File
     * @throws IllegalArgumentException when the score does not fit the format (see the class comment)
     */
    public byte[] write(Score score) {
        List<byte[]> chunks = new ArrayList<>();
        chunks.add(conductor(score));
        for (Track track : score.tracks()) chunks.add(track(track));
        if (!score.chords().isEmpty()) chunks.add(chords(score));
        if (chunks.size() > 0xFFFF) throw new IllegalArgumentException("a MIDI file holds at most 65535 tracks, this score needs " + chunks.size());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {'M', 'T', 'h', 'd', 0, 0, 0, 6, 0, 1,
                (byte) (chunks.size() >> 8), (byte) chunks.size(),
                (byte) (Score.TICKS_PER_QUARTER >> 8), (byte) Score.TICKS_PER_QUARTER});
        for (byte[] chunk : chunks) out.writeBytes(chunk);
        return out.toByteArray();
    }

    /**
     * The time signature whose bar is exactly {@code pickup} ticks long, with the smallest denominator; empty when
     * none with numerator 1..64 and denominator 1..128 is.
     *
     * @param pickup length of the pickup, in ticks
     */
    static Optional<TimeSignature> pickupSignature(long pickup) {
        for (int denominator = 1; denominator <= 128; denominator *= 2) {
            long wholeNote = Score.TICKS_PER_QUARTER * 4L;
            if (pickup * denominator % wholeNote == 0) {
                long numerator = pickup * denominator / wholeNote;
                if (numerator >= 1 && numerator <= 64) return Optional.of(new TimeSignature(0, (int) numerator, denominator));
            }
        }
        return Optional.empty();
    }

    /**
     * The pickup as written: the longest one {@link #pickupSignature} expresses that is not longer than {@code pickup}
     * ticks; 0 when none is (shorter than a 128th note).
     */
    static long writtenPickup(long pickup) {
        long hundredTwentyEighth = Score.TICKS_PER_QUARTER / 32;
        long ticks = pickup - pickup % hundredTwentyEighth;
        while (ticks > 0 && pickupSignature(ticks).isEmpty()) ticks -= hundredTwentyEighth;
        return ticks;
    }

    private static byte[] conductor(Score score) {
        Events events = new Events();
        MeterMap meter = score.meter();
        List<TimeSignature> changes = meter.changes();
        long pickupTicks = writtenPickup(meter.pickup());
        Optional<TimeSignature> pickup = pickupTicks > 0 ? pickupSignature(pickupTicks) : Optional.empty();
        for (int i = 0; i < changes.size(); i++) {
            TimeSignature signature = changes.get(i);
            long tick = signature.tick();
            if (i == 0 && pickup.isPresent()) {
                events.add(0, FIRST, timeSignature(pickup.get()));
                tick = pickupTicks;
            } else if (i > 0) {
                tick -= meter.pickup() - pickupTicks; // later bar lines move with the first one
            }
            events.add(tick, FIRST, timeSignature(signature));
        }
        for (KeySignature key : score.keys()) {
            events.add(key.tick(), FIRST, new byte[] {(byte) 0xFF, 0x59, 2, (byte) key.fifths(),
                    (byte) (key.mode() == KeySignature.Mode.MAJOR ? 0 : 1)});
        }
        for (TempoMap.Change change : score.tempo().changes()) {
            long micros = change.microsPerQuarter();
            events.add(change.tick(), FIRST, new byte[] {(byte) 0xFF, 0x51, 3,
                    (byte) (micros >> 16), (byte) (micros >> 8), (byte) micros});
        }
        return events.chunk(0);
    }

    private static byte[] timeSignature(TimeSignature signature) {
        return new byte[] {(byte) 0xFF, 0x58, 4, (byte) signature.numerator(),
                (byte) Integer.numberOfTrailingZeros(signature.denominator()), 24, 8};
    }

    private static byte[] track(Track track) {
        Events events = new Events();
        int channel = track.channel();
        events.add(0, FIRST, meta(0x03, track.name()));
        events.add(0, FIRST, new byte[] {(byte) (0xC0 | channel), (byte) track.program()});
        List<Note> notes = track.notes();
        long[] ends = new long[notes.size()];
        Map<Integer, Long> nextOnset = new HashMap<>();
        for (int i = notes.size() - 1; i >= 0; i--) {
            Note note = notes.get(i);
            Long next = nextOnset.put(note.pitch(), note.onset());
            // Notes of one pitch that start together are all written (a file may double a note); a later one cuts.
            ends[i] = next == null || next == note.onset() ? note.end() : Math.min(note.end(), next);
        }
        // Written in note order (shortest first at one onset), so a reader pairing note-offs first in, first out
        // gives each doubled note back its own length.
        for (int i = 0; i < notes.size(); i++) {
            Note note = notes.get(i);
            events.add(note.onset(), NOTE_ON, new byte[] {(byte) (0x90 | channel), (byte) note.pitch(), (byte) note.velocity()});
            events.add(ends[i], NOTE_OFF, new byte[] {(byte) (0x80 | channel), (byte) note.pitch(), 0x40});
        }
        long pedalOnset = -1, pedalEnd = -1;
        for (PedalSpan span : track.sustain()) {
            if (pedalOnset >= 0 && span.onset() < pedalEnd) {
                pedalEnd = Math.max(pedalEnd, span.end());
                continue;
            }
            if (pedalOnset >= 0) pedal(events, channel, pedalOnset, pedalEnd);
            pedalOnset = span.onset();
            pedalEnd = span.end();
        }
        if (pedalOnset >= 0) pedal(events, channel, pedalOnset, pedalEnd);
        return events.chunk(0);
    }

    private static void pedal(Events events, int channel, long onset, long end) {
        events.add(onset, PEDAL_DOWN, new byte[] {(byte) (0xB0 | channel), 64, 127});
        events.add(end, PEDAL_UP, new byte[] {(byte) (0xB0 | channel), 64, 0});
    }

    private static byte[] chords(Score score) {
        List<ChordSpan> chords = score.chords();
        Events events = new Events();
        events.add(0, FIRST, meta(0x03, "CHORDS"));
        for (int i = 0; i < chords.size(); i++) {
            ChordSpan span = chords.get(i);
            String name = span.chord().commonName(score.keyAt(span.onset()).orElse(Spelling.NO_KEY));
            events.add(span.onset(), NOTE_ON, meta(0x06, name));
            boolean gapFollows = i + 1 < chords.size() && chords.get(i + 1).onset() > span.end();
            if (gapFollows) events.add(span.end(), NOTE_OFF, meta(0x06, ""));
        }
        return events.chunk(chords.get(chords.size() - 1).end());
    }

    private static byte[] meta(int type, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0xFF);
        out.write(type);
        varint(out, bytes.length);
        out.writeBytes(bytes);
        return out.toByteArray();
    }

    private static void varint(ByteArrayOutputStream out, long value) {
        if (value > MAX_DELTA) throw new IllegalArgumentException("value " + value + " does not fit a MIDI variable-length number");
        int shift = 21;
        while (shift > 0 && (value >> shift) == 0) shift -= 7;
        for (; shift > 0; shift -= 7) out.write((int) (((value >> shift) & 0x7F) | 0x80));
        out.write((int) (value & 0x7F));
    }

    /** The events of one MTrk, to be sorted by tick, then order class, then insertion. */
    private static final class Events {
        private record Event(long tick, int order, int sequence, byte[] bytes) {
        }

        private final List<Event> events = new ArrayList<>();

        void add(long tick, int order, byte[] bytes) {
            events.add(new Event(tick, order, events.size(), bytes));
        }

        /** The MTrk chunk, its end-of-track at the last event or at {@code end} ticks, whichever is later. */
        byte[] chunk(long end) {
            events.sort(Comparator.comparingLong(Event::tick).thenComparingInt(Event::order).thenComparingInt(Event::sequence));
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            long tick = 0;
            for (Event event : events) {
                varint(body, event.tick() - tick);
                body.writeBytes(event.bytes());
                tick = event.tick();
            }
            varint(body, Math.max(0, end - tick));
            body.writeBytes(new byte[] {(byte) 0xFF, 0x2F, 0});
            int length = body.size();
            ByteArrayOutputStream chunk = new ByteArrayOutputStream();
            chunk.writeBytes(new byte[] {'M', 'T', 'r', 'k', (byte) (length >> 24), (byte) (length >> 16), (byte) (length >> 8), (byte) length});
            chunk.writeBytes(body.toByteArray());
            return chunk.toByteArray();
        }
    }
}
