package dev.merlai.music.midi;

import dev.merlai.music.Chord;
import dev.merlai.music.ChordSpan;
import dev.merlai.music.KeySignature;
import dev.merlai.music.MeterMap;
import dev.merlai.music.Note;
import dev.merlai.music.PedalSpan;
import dev.merlai.music.Role;
import dev.merlai.music.Score;
import dev.merlai.music.TempoMap;
import dev.merlai.music.TimeSignature;
import dev.merlai.music.Track;
import dev.merlai.music.io.MelodyFinder;
import dev.merlai.music.io.ReadLimits;
import dev.merlai.music.io.ReadOptions;
import dev.merlai.music.io.ReadResult;
import dev.merlai.music.io.ScoreReadException;
import dev.merlai.music.io.ScoreReadException.Kind;
import dev.merlai.music.io.ScoreReader;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads a Standard MIDI File (format 0 or 1, any ticks-per-quarter resolution) into a {@link Score}. The bytes
 * are parsed here, not by {@code javax.sound.midi}, so that every malformed input becomes a
 * {@link ScoreReadException} with the place it went wrong: location {@code track N, byte B}, where N is the
 * 0-based MTrk chunk (track 0 is the conductor track of a format-1 file) and B the 0-based byte offset in the
 * file; header problems say {@code header, byte B}.
 *
 * <p>What the reader decides:
 * <ul>
 *   <li>Times are rescaled to {@link Score#TICKS_PER_QUARTER} with {@link Score#ticksFrom}; each note's start
 *       and end are rescaled separately. Format 2 and SMPTE (frames per second) division are UNSUPPORTED.</li>
 *   <li>Every channel of an MTrk that has a note, a program change or a sustain pedal event becomes one
 *       {@link Track}, in file order and then channel order; so a format-0 file splits into one track per channel.
 *       A track keeps its MTrk's name (first track-name meta event); when an MTrk splits, each part is named
 *       {@code "<name> (channel N)"} (N 1-based), or {@code "Channel N"} when the MTrk has no name. MTrks without
 *       such channel events (conductor, lyrics, the CHORDS track) give no track.</li>
 *   <li>Note-on with velocity 0 is a note-off. Note-offs pair with note-ons of the same channel and pitch first in,
 *       first out; a note-on while the same pitch sounds keeps both, and afterwards every note is cut at the next
 *       later onset of the same pitch on its channel, so one pitch never overlaps itself in a track except for
 *       notes that start together, which are all kept (a file may double a note, and every melody note counts).
 *       A note never ended lasts until its MTrk's end-of-track. A note 0 ticks long (note-off at the onset, or
 *       rounding when rescaling) is kept 1 tick long.</li>
 *   <li>Sustain pedal (CC 64): a value of 64 or more presses it, less releases it; repeated presses or releases
 *       are ignored, a pedal still down at the end of the MTrk is released there, 0-tick spans are dropped.</li>
 *   <li>A track's program is the first program change on its channel in its MTrk (0 if none); later program
 *       changes are ignored. Roles come from {@link MelodyFinder}: channel 9 is DRUMS.</li>
 *   <li>Tempo (0x51), time signature (0x58) and key signature (0x59) meta events count from any MTrk; of several
 *       at one tick the last in file order wins. A time signature {@code A} at tick 0 followed by a longer one
 *       {@code B} exactly one {@code A}-bar later is read as a pickup of that length in {@code B} (the way
 *       {@link MidiWriter} writes a pickup); any other time signature starts a new bar where it falls.</li>
 *   <li>Chords: text (0x01) and marker (0x06) events of an MTrk named {@code CHORDS} (case-insensitive) are Harte
 *       labels or common chord names parsed with {@link Chord#parse}; unparsable labels are skipped. Of several labels at one tick the
 *       first parsable one wins. An empty label ends the chord before it without starting one (a gap). Each chord
 *       lasts until the next label or end mark; the last one until the end-of-track of the CHORDS MTrk, or one
 *       quarter note when that is not after its onset.</li>
 *   <li>Limits ({@link ReadLimits}): the file size, the declared MTrk count and the number of tracks made, the
 *       number of notes (checked as note-ons arrive) and the duration of the score in seconds by its tempo map.
 *       Every chunk length is checked against the bytes left before it is used.</li>
 * </ul>
 */
public final class MidiReader implements ScoreReader {

    private static final int MAX_CHANNELS = 16;

    public MidiReader() {
    }

    @Override
    public ReadResult read(byte[] data, ReadOptions options) throws ScoreReadException {
        ReadLimits limits = options.limits();
        limits.checkBytes(data.length);
        Parse parse = new Parse(data, limits);
        parse.file();
        Score score = parse.score();
        limits.checkTracks(score.tracks().size());
        limits.checkDuration(score.durationSeconds());
        MelodyFinder.Assignment roles = MelodyFinder.assign(score.tracks(), options.melodyPart());
        return new ReadResult(score.withTracks(roles.tracks()), roles.melodyChoice());
    }

    /** A note as read, in file ticks; {@code off} is -1 while it sounds. */
    private static final class RawNote {
        final int pitch;
        final int velocity;
        final long on;
        long off = -1;

        RawNote(int pitch, int velocity, long on) {
            this.pitch = pitch;
            this.velocity = velocity;
            this.on = on;
        }
    }

    /** What one channel of one MTrk holds, in file ticks. */
    private static final class ChannelPart {
        final List<RawNote> notes = new ArrayList<>();
        @SuppressWarnings("unchecked")
        final ArrayDeque<RawNote>[] sounding = new ArrayDeque[128];
        final List<long[]> pedal = new ArrayList<>();
        long pedalDown = -1;
        int program = -1;
        boolean used;
    }

    /** One MTrk as read. */
    private static final class RawTrack {
        String name;
        long end;
        final ChannelPart[] channels = new ChannelPart[MAX_CHANNELS];
        final List<Text> texts = new ArrayList<>();
    }

    /** A text or marker event, at a time in file ticks. */
    private record Text(long tick, String text) {
    }

    /** A tempo, time signature or key signature event's values, at a time in file ticks. */
    private record Timed(long tick, long[] values) {
    }

    /** The state of one read. */
    private static final class Parse {
        private final byte[] data;
        private final ReadLimits limits;
        private int pos;
        /** Offset of the event being read, for limit errors. */
        private int eventStart;
        private String where = "header";
        private int division;
        private int noteCount;
        private final List<RawTrack> tracks = new ArrayList<>();
        private final List<Timed> tempos = new ArrayList<>();
        private final List<Timed> meters = new ArrayList<>();
        private final List<Timed> keys = new ArrayList<>();

        Parse(byte[] data, ReadLimits limits) {
            this.data = data;
            this.limits = limits;
        }

        void file() throws ScoreReadException {
            if (data.length == 0) throw corrupt(0, "the file is empty");
            if (data.length < 14 || !chunkId(0).equals("MThd")) {
                throw corrupt(0, "not a Standard MIDI File: it does not start with an MThd header of 14 bytes");
            }
            long headerLength = u32(4);
            if (headerLength < 6) throw corrupt(4, "the MThd header is " + headerLength + " bytes long, less than 6");
            if (headerLength > data.length - 8) throw corrupt(4, "the MThd header length " + headerLength + " runs past the end of the file");
            int format = u16(8);
            int declaredTracks = u16(10);
            division = u16(12);
            if (format == 2) throw new ScoreReadException(Kind.UNSUPPORTED, location(8), "MIDI format 2 (independent sequences) is not supported");
            if (format > 2) throw corrupt(8, "unknown MIDI format " + format);
            if ((division & 0x8000) != 0) {
                throw new ScoreReadException(Kind.UNSUPPORTED, location(12), "SMPTE time division (frames per second) is not supported; only ticks per quarter note");
            }
            if (division == 0) throw corrupt(12, "the time division is 0 ticks per quarter note");
            limits.checkTracks(declaredTracks);
            pos = (int) (8 + headerLength);
            while (tracks.size() < declaredTracks) {
                where = "track " + tracks.size();
                if (data.length - pos < 8) {
                    throw corrupt(pos, "the file ends after " + tracks.size() + " of " + declaredTracks + " tracks");
                }
                String id = chunkId(pos);
                long length = u32(pos + 4);
                if (length > data.length - pos - 8) {
                    throw corrupt(pos + 4, "chunk " + id + " says it is " + length + " bytes long, but only "
                            + (data.length - pos - 8) + " bytes are left");
                }
                int start = pos + 8;
                int end = (int) (start + length);
                if (id.equals("MTrk")) {
                    pos = start;
                    track(end);
                }
                pos = end;
            }
        }

        private void track(int end) throws ScoreReadException {
            RawTrack track = new RawTrack();
            tracks.add(track);
            long tick = 0;
            int running = -1;
            while (pos < end) {
                eventStart = pos;
                tick += varint(end);
                if (pos >= end) throw corrupt(pos, "the track ends inside an event");
                int status = data[pos] & 0xFF;
                if (status >= 0x80) {
                    pos++;
                } else if (running < 0) {
                    throw corrupt(pos, String.format("data byte 0x%02X without a status byte", status));
                } else {
                    status = running;
                }
                if (status < 0xF0) {
                    running = status;
                    channelEvent(track, status, tick, end);
                } else if (status == 0xFF) {
                    int type = dataByte(end);
                    int length = varint(end);
                    if (length > end - pos) throw corrupt(pos, "meta event of " + length + " bytes runs past the end of the track");
                    if (type == 0x2F) break;
                    meta(track, type, length, tick);
                    pos += length;
                } else if (status == 0xF0 || status == 0xF7) {
                    int length = varint(end);
                    if (length > end - pos) throw corrupt(pos, "system exclusive event of " + length + " bytes runs past the end of the track");
                    pos += length;
                } else {
                    throw corrupt(pos - 1, String.format("status byte 0x%02X is not allowed in a MIDI file", status));
                }
            }
            track.end = tick;
        }

        private void channelEvent(RawTrack track, int status, long tick, int end) throws ScoreReadException {
            int kind = status & 0xF0;
            int channel = status & 0x0F;
            int first = dataByte(end);
            int second = kind == 0xC0 || kind == 0xD0 ? 0 : dataByte(end);
            ChannelPart part = track.channels[channel];
            if (part == null) part = track.channels[channel] = new ChannelPart();
            switch (kind) {
                case 0x90 -> {
                    if (second == 0) {
                        noteOff(part, first, tick);
                    } else {
                        if (++noteCount > limits.maxNotes()) {
                            throw new ScoreReadException(Kind.LIMIT_EXCEEDED, location(eventStart),
                                    "the file has more than the limit of " + limits.maxNotes() + " notes");
                        }
                        RawNote note = new RawNote(first, second, tick);
                        part.notes.add(note);
                        if (part.sounding[first] == null) part.sounding[first] = new ArrayDeque<>();
                        part.sounding[first].add(note);
                        part.used = true;
                    }
                }
                case 0x80 -> noteOff(part, first, tick);
                case 0xB0 -> {
                    if (first == 64) {
                        part.used = true;
                        if (second >= 64 && part.pedalDown < 0) {
                            part.pedalDown = tick;
                        } else if (second < 64 && part.pedalDown >= 0) {
                            part.pedal.add(new long[] {part.pedalDown, tick});
                            part.pedalDown = -1;
                        }
                    }
                }
                case 0xC0 -> {
                    part.used = true;
                    if (part.program < 0) part.program = first;
                }
                default -> {
                    // pitch bend, aftertouch and other controllers carry nothing the model keeps
                }
            }
        }

        private static void noteOff(ChannelPart part, int pitch, long tick) {
            ArrayDeque<RawNote> queue = part.sounding[pitch];
            if (queue != null && !queue.isEmpty()) queue.poll().off = tick;
        }

        private void meta(RawTrack track, int type, int length, long tick) throws ScoreReadException {
            switch (type) {
                case 0x03 -> {
                    if (track.name == null) track.name = text(pos, length);
                }
                case 0x01, 0x06 -> track.texts.add(new Text(tick, text(pos, length)));
                case 0x51 -> {
                    if (length != 3) throw corrupt(pos, "tempo event has " + length + " data bytes, not 3");
                    long micros = ((data[pos] & 0xFFL) << 16) | ((data[pos + 1] & 0xFFL) << 8) | (data[pos + 2] & 0xFFL);
                    if (micros == 0) throw corrupt(pos, "tempo of 0 microseconds per quarter note");
                    tempos.add(new Timed(tick, new long[] {micros}));
                }
                case 0x58 -> {
                    if (length < 2) throw corrupt(pos, "time signature event has " + length + " data bytes, fewer than 2");
                    int numerator = data[pos] & 0xFF;
                    int exponent = data[pos + 1] & 0xFF;
                    if (numerator == 0) throw corrupt(pos, "time signature with numerator 0");
                    if (numerator > 64 || exponent > 7) {
                        throw new ScoreReadException(Kind.UNSUPPORTED, location(pos),
                                "time signature " + numerator + "/2^" + exponent + " is outside 1..64 / 1..128");
                    }
                    meters.add(new Timed(tick, new long[] {numerator, 1L << exponent}));
                }
                case 0x59 -> {
                    if (length < 2) throw corrupt(pos, "key signature event has " + length + " data bytes, fewer than 2");
                    int fifths = data[pos];
                    int mode = data[pos + 1] & 0xFF;
                    if (fifths < -7 || fifths > 7 || mode > 1) {
                        throw corrupt(pos, "key signature with " + fifths + " sharps/flats and mode " + mode);
                    }
                    keys.add(new Timed(tick, new long[] {fifths, mode}));
                }
                default -> {
                    // lyrics, copyright, instrument names, sequencer data: not part of the model
                }
            }
        }

        Score score() throws ScoreReadException {
            List<Track> result = new ArrayList<>();
            List<Text> chordTexts = new ArrayList<>();
            long chordsEnd = 0;
            for (RawTrack raw : tracks) {
                String name = raw.name == null ? "" : raw.name;
                if (name.trim().equalsIgnoreCase("CHORDS")) {
                    chordTexts.addAll(raw.texts);
                    chordsEnd = Math.max(chordsEnd, ticks(raw.end));
                }
                int used = 0;
                for (ChannelPart part : raw.channels) if (part != null && part.used) used++;
                for (int channel = 0; channel < MAX_CHANNELS; channel++) {
                    ChannelPart part = raw.channels[channel];
                    if (part == null || !part.used) continue;
                    String trackName = used == 1 ? name
                            : name.isEmpty() ? "Channel " + (channel + 1) : name + " (channel " + (channel + 1) + ")";
                    result.add(new Track(trackName, Role.OTHER, Math.max(part.program, 0), channel,
                            notes(part, raw.end), pedal(part, raw.end)));
                }
            }
            return new Score(tempoMap(), meterMap(), keySignatures(), chords(chordTexts, chordsEnd), result);
        }

        private List<Note> notes(ChannelPart part, long trackEnd) {
            List<long[]> spans = new ArrayList<>(); // {pitch, velocity, onset, end} in model ticks
            for (RawNote note : part.notes) {
                spans.add(new long[] {note.pitch, note.velocity, ticks(note.on), ticks(note.off >= 0 ? note.off : trackEnd)});
            }
            spans.sort(Comparator.<long[]>comparingLong(s -> s[0]).thenComparingLong(s -> s[2]).thenComparingLong(s -> s[3] - s[2]));
            List<Note> notes = new ArrayList<>();
            for (int i = 0; i < spans.size(); i++) {
                long[] span = spans.get(i);
                long end = span[3];
                int next = i + 1;
                while (next < spans.size() && spans.get(next)[0] == span[0] && spans.get(next)[2] == span[2]) next++;
                if (next < spans.size() && spans.get(next)[0] == span[0]) end = Math.min(end, spans.get(next)[2]);
                // A note-off at the very tick of its note-on still marks a note the file has: keep it, 1 tick long.
                notes.add(new Note((int) span[0], (int) span[1], span[2], Math.max(1, end - span[2])));
            }
            return notes;
        }

        private List<PedalSpan> pedal(ChannelPart part, long trackEnd) {
            List<long[]> raw = new ArrayList<>(part.pedal);
            if (part.pedalDown >= 0) raw.add(new long[] {part.pedalDown, trackEnd});
            List<PedalSpan> spans = new ArrayList<>();
            for (long[] span : raw) {
                long onset = ticks(span[0]);
                long end = ticks(span[1]);
                if (end > onset) spans.add(new PedalSpan(onset, end - onset));
            }
            return spans;
        }

        private TempoMap tempoMap() {
            List<TempoMap.Change> changes = new ArrayList<>();
            for (Timed tempo : tempos) changes.add(new TempoMap.Change(ticks(tempo.tick()), tempo.values()[0]));
            return new TempoMap(changes);
        }

        private MeterMap meterMap() {
            List<TimeSignature> sorted = new ArrayList<>();
            for (Timed meter : meters) {
                sorted.add(new TimeSignature(ticks(meter.tick()), (int) meter.values()[0], (int) meter.values()[1]));
            }
            sorted.sort(Comparator.comparingLong(TimeSignature::tick));
            List<TimeSignature> unique = new ArrayList<>();
            for (TimeSignature signature : sorted) {
                if (!unique.isEmpty() && unique.get(unique.size() - 1).tick() == signature.tick()) unique.remove(unique.size() - 1);
                unique.add(signature);
            }
            if (unique.isEmpty() || unique.get(0).tick() > 0) unique.add(0, new TimeSignature(0, 4, 4));
            if (unique.size() >= 2) {
                TimeSignature pickupBar = unique.get(0);
                TimeSignature first = unique.get(1);
                if (first.tick() == pickupBar.barTicks() && pickupBar.barTicks() < first.barTicks()) {
                    List<TimeSignature> changes = new ArrayList<>();
                    changes.add(new TimeSignature(0, first.numerator(), first.denominator()));
                    changes.addAll(unique.subList(2, unique.size()));
                    return new MeterMap(changes, first.tick());
                }
            }
            return new MeterMap(unique);
        }

        private List<KeySignature> keySignatures() {
            TreeMap<Long, KeySignature> byTick = new TreeMap<>();
            for (Timed key : keys) {
                long tick = ticks(key.tick());
                KeySignature.Mode mode = key.values()[1] == 0 ? KeySignature.Mode.MAJOR : KeySignature.Mode.MINOR;
                byTick.put(tick, KeySignature.fromFifths(tick, (int) key.values()[0], mode));
            }
            return new ArrayList<>(byTick.values());
        }

        private List<ChordSpan> chords(List<Text> texts, long chordsEnd) {
            texts.sort(Comparator.comparingLong(Text::tick));
            TreeMap<Long, Optional<Chord>> marks = new TreeMap<>(); // empty = end of the chord before
            for (Text text : texts) {
                long tick = ticks(text.tick());
                String label = text.text().trim();
                Optional<Chord> known = marks.get(tick);
                if (known != null && known.isPresent()) continue;
                if (label.isEmpty()) {
                    marks.put(tick, Optional.empty());
                    continue;
                }
                try {
                    marks.put(tick, Optional.of(Chord.parse(label)));
                } catch (IllegalArgumentException unparsable) {
                    // not a Harte label (lyrics, rehearsal marks): skipped
                }
            }
            List<ChordSpan> chords = new ArrayList<>();
            for (Map.Entry<Long, Optional<Chord>> mark : marks.entrySet()) {
                if (mark.getValue().isEmpty()) continue;
                long onset = mark.getKey();
                Long next = marks.higherKey(onset);
                long end = next != null ? next : chordsEnd > onset ? chordsEnd : onset + Score.TICKS_PER_QUARTER;
                chords.add(new ChordSpan(onset, end - onset, mark.getValue().get()));
            }
            return chords;
        }

        private long ticks(long fileTicks) {
            return Score.ticksFrom(fileTicks, division);
        }

        private int varint(int end) throws ScoreReadException {
            int start = pos;
            int value = 0;
            for (int i = 0; i < 4; i++) {
                if (pos >= end) throw corrupt(pos, "the track ends inside a variable-length number");
                int b = data[pos++] & 0xFF;
                value = (value << 7) | (b & 0x7F);
                if ((b & 0x80) == 0) return value;
            }
            throw corrupt(start, "variable-length number longer than 4 bytes");
        }

        private int dataByte(int end) throws ScoreReadException {
            if (pos >= end) throw corrupt(pos, "the track ends inside an event");
            int b = data[pos] & 0xFF;
            if (b >= 0x80) throw corrupt(pos, String.format("expected a data byte (0..127), found 0x%02X", b));
            pos++;
            return b;
        }

        private String text(int offset, int length) {
            try {
                return StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(data, offset, length)).toString();
            } catch (CharacterCodingException notUtf8) {
                return new String(data, offset, length, StandardCharsets.ISO_8859_1);
            }
        }

        private String chunkId(int offset) {
            return new String(data, offset, 4, StandardCharsets.ISO_8859_1);
        }

        private long u32(int offset) {
            return ((data[offset] & 0xFFL) << 24) | ((data[offset + 1] & 0xFFL) << 16)
                    | ((data[offset + 2] & 0xFFL) << 8) | (data[offset + 3] & 0xFFL);
        }

        private int u16(int offset) {
            return ((data[offset] & 0xFF) << 8) | (data[offset + 1] & 0xFF);
        }

        private String location(int offset) {
            return where + ", byte " + offset;
        }

        private ScoreReadException corrupt(int offset, String message) {
            return new ScoreReadException(Kind.CORRUPT, location(offset), message);
        }
    }
}
