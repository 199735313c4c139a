package dev.merlai.music.musicxml;

import dev.merlai.music.Bar;
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
import dev.merlai.music.theory.Spelling;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Writes a score as uncompressed MusicXML 4.0 {@code score-partwise}, which {@link MusicXmlReader} reads back
 * to the same score.
 *
 * <p>Layout: one part per track, the melody track first, then the others in their order; one staff per part,
 * a grand staff (split at middle C) for a piano part.
 * {@code <divisions>} is {@link Score#TICKS_PER_QUARTER}, so a MusicXML duration is a model tick count.
 * Measures follow {@link dev.merlai.music.MeterMap#bars(long)} up to the last note, chord label, pedal,
 * tempo, key or time signature; a pickup is the implicit measure 0. Notes are notated on the 16th grid counted
 * from each downbeat, their played onset and end kept in {@code attack} and {@code release}; each notated span
 * is cut into plain or dotted values with a {@code <type>}, tied at bar lines, at the beat for notes off the
 * beat, and at the middle of a four-beat bar; gaps are rests cut the same way. Notes that start and end together
 * share a {@code <chord/>}; overlapping notes go to further voices (after a {@code <backup>}), padded with
 * {@code <forward>}. Tempo changes are
 * {@code <sound tempo>} (quarter notes per minute), keys and time signatures {@code <attributes>}, placed at
 * their tick with {@code <forward>}/{@code <backup>} when inside a measure. Chord labels are {@code <harmony>}
 * on the first part, a gap after a label is kind {@code none}. Each track's role, MIDI program and channel are
 * kept ({@code <miscellaneous-field name="merlai-role-P1">}, {@code <midi-program>}, {@code <midi-channel>}),
 * and each note's velocity as its {@code dynamics} attribute.
 *
 * <p>What a read-back normalizes: a melody track comes back monophonic and other tracks without same-pitch
 * overlaps (see {@link MusicXmlReader}); {@link Chord#NONE} labels become gaps; labels whose quality has no
 * shorthand (e.g. {@code C:(1,3,5)}) are left out; a bass degree comes back as the plain degree of its
 * interval ({@code #4} as {@code b5}, {@code 9} as {@code 2}); track names lose leading and trailing blanks
 * and characters XML cannot hold, and an empty name comes back as the part id ({@code P1}, {@code P2}, ...).
 * Velocities, programs, channels, roles, tempo (to the microsecond per quarter), meter with pickup, keys and
 * sustain spans come back exactly.
 */
public final class MusicXmlWriter {

    /** Prefix of the {@code <miscellaneous-field>} names that record each part's {@link Role}, followed by the part id. */
    static final String ROLE_FIELD_PREFIX = "merlai-role-";

    /** Notes are notated on this grid (a 16th note), their played times kept in {@code attack} and {@code release}. */
    private static final long NOTATION_GRID = Score.TICKS_PER_QUARTER / 4;
    /** Piano notes from middle C up go on the upper staff of the grand staff. */
    private static final int GRAND_STAFF_SPLIT = 60;
    /** Voices of the lower staff are numbered from 5, as notation programs do. */
    private static final int LOWER_STAFF_FIRST_VOICE = 5;
    private static final long[] TYPE_TICKS = {3840, 1920, 960, 480, 240, 120, 60, 30, 15};
    private static final String[] TYPE_NAMES = {"breve", "whole", "half", "quarter", "eighth", "16th", "32nd", "64th", "128th"};

    /** An element to place at a position inside a measure; {@code order} sorts elements at one position. */
    private record Placed(long offset, int order, String xml) {
    }

    /** Notes notated to start and end together (on the notation grid), in one voice. */
    private record Group(long onset, long end, List<Note> notes) {
    }

    /** The notes of one staff as voices, and the number of its first voice. */
    private record Staff(int number, int firstVoice, List<List<Group>> voices) {
    }

    /**
     * @param score a score with at least one track
     * @return the MusicXML document, UTF-8
     * @throws IllegalArgumentException when the score has no track (MusicXML needs a part)
     */
    public byte[] write(Score score) {
        if (score.tracks().isEmpty()) throw new IllegalArgumentException("MusicXML needs at least one part: the score has no track");
        List<Track> tracks = new ArrayList<>(score.tracks());
        tracks.sort(Comparator.comparingInt(t -> t.role() == Role.MELODY ? 0 : 1)); // stable: others keep their order

        long end = Math.max(1, score.endTick());
        for (TimeSignature signature : score.meter().changes()) end = Math.max(end, signature.tick() + 1);
        for (KeySignature key : score.keys()) end = Math.max(end, key.tick() + 1);
        for (TempoMap.Change change : score.tempo().changes()) end = Math.max(end, change.tick() + 1);
        List<Bar> bars = score.meter().bars(end);
        long musicEnd = bars.get(bars.size() - 1).end();

        StringBuilder xml = new StringBuilder(1 << 16);
        xml.append("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n");
        xml.append("<!DOCTYPE score-partwise PUBLIC \"-//Recordare//DTD MusicXML 4.0 Partwise//EN\" \"http://www.musicxml.org/dtds/partwise.dtd\">\n");
        xml.append("<score-partwise version=\"4.0\">\n  <identification>\n    <encoding><software>Merlai</software></encoding>\n    <miscellaneous>\n");
        for (int t = 0; t < tracks.size(); t++) {
            xml.append("      <miscellaneous-field name=\"").append(ROLE_FIELD_PREFIX).append(partId(t)).append("\">")
                    .append(tracks.get(t).role().id()).append("</miscellaneous-field>\n");
        }
        xml.append("    </miscellaneous>\n  </identification>\n  <part-list>\n");
        for (int t = 0; t < tracks.size(); t++) {
            Track track = tracks.get(t);
            String id = partId(t);
            String name = escape(track.name().trim());
            xml.append("    <score-part id=\"").append(id).append("\">\n      <part-name>").append(name).append("</part-name>\n")
                    .append("      <score-instrument id=\"").append(id).append("-I1\"><instrument-name>").append(name)
                    .append("</instrument-name></score-instrument>\n")
                    .append("      <midi-instrument id=\"").append(id).append("-I1\"><midi-channel>").append(track.channel() + 1)
                    .append("</midi-channel><midi-program>").append(track.program() + 1).append("</midi-program></midi-instrument>\n")
                    .append("    </score-part>\n");
        }
        xml.append("  </part-list>\n");
        for (int t = 0; t < tracks.size(); t++) {
            writePart(xml, score, tracks.get(t), partId(t), t == 0, bars, musicEnd);
        }
        xml.append("</score-partwise>\n");
        return xml.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String partId(int index) {
        return "P" + (index + 1);
    }

    private void writePart(StringBuilder xml, Score score, Track track, String id, boolean first, List<Bar> bars, long musicEnd) {
        List<Staff> staves = staves(score.meter(), track);
        List<List<Placed>> placed = new ArrayList<>();
        for (int i = 0; i < bars.size(); i++) placed.add(new ArrayList<>());
        for (KeySignature key : score.keys()) {
            int bar = barIndex(bars, key.tick());
            if (key.tick() > bars.get(bar).start()) {
                placed.get(bar).add(new Placed(key.tick() - bars.get(bar).start(), 2, "<attributes>" + keyXml(key) + "</attributes>"));
            }
        }
        for (PedalSpan span : track.sustain()) {
            place(placed, bars, span.onset(), 1, "<direction><direction-type><pedal type=\"start\" line=\"yes\"/></direction-type></direction>");
            place(placed, bars, span.end(), 0, "<direction><direction-type><pedal type=\"stop\" line=\"yes\"/></direction-type></direction>");
        }
        if (first) {
            for (TempoMap.Change change : score.tempo().changes()) {
                place(placed, bars, change.tick(), 3, "<sound tempo=\"" + bpm(change) + "\"/>");
            }
            List<ChordSpan> labels = score.chords().stream().filter(c -> harmonyXml(c.chord(), Spelling.NO_KEY) != null).toList();
            for (int i = 0; i < labels.size(); i++) {
                ChordSpan label = labels.get(i);
                place(placed, bars, label.onset(), 4, harmonyXml(label.chord(), score.keyAt(label.onset()).orElse(Spelling.NO_KEY)));
                boolean followed = i + 1 < labels.size() && labels.get(i + 1).onset() == label.end();
                if (!followed && label.end() < musicEnd) {
                    place(placed, bars, label.end(), 4, "<harmony><root><root-step>C</root-step></root><kind>none</kind></harmony>");
                }
            }
        }

        xml.append("  <part id=\"").append(id).append("\">\n");
        int[][] nextGroup = new int[staves.size()][];
        for (int st = 0; st < staves.size(); st++) nextGroup[st] = new int[staves.get(st).voices().size()];
        for (int b = 0; b < bars.size(); b++) {
            Bar bar = bars.get(b);
            xml.append("    <measure number=\"").append(bar.number()).append('"').append(bar.number() == 0 ? " implicit=\"yes\"" : "").append(">\n");
            StringBuilder attributes = new StringBuilder();
            if (b == 0) attributes.append("<divisions>").append(Score.TICKS_PER_QUARTER).append("</divisions>");
            for (KeySignature key : score.keys()) {
                if (key.tick() == bar.start()) attributes.append(keyXml(key));
            }
            for (TimeSignature signature : score.meter().changes()) {
                if (signature.tick() == bar.start()) {
                    attributes.append("<time><beats>").append(signature.numerator()).append("</beats><beat-type>")
                            .append(signature.denominator()).append("</beat-type></time>");
                }
            }
            if (b == 0 && staves.size() == 2) {
                attributes.append("<staves>2</staves><clef number=\"1\"><sign>G</sign><line>2</line></clef><clef number=\"2\"><sign>F</sign><line>4</line></clef>");
            } else if (b == 0) {
                attributes.append(clef(track));
            }
            if (!attributes.isEmpty()) xml.append("      <attributes>").append(attributes).append("</attributes>\n");

            List<Placed> here = placed.get(b);
            here.sort(Comparator.comparingLong(Placed::offset).thenComparingInt(Placed::order));
            long cursor = 0;
            for (Placed element : here) {
                if (element.offset() > cursor) xml.append("      ").append(forward(element.offset() - cursor, 1)).append('\n');
                cursor = Math.max(cursor, element.offset());
                xml.append("      ").append(element.xml()).append('\n');
            }
            if (cursor > 0) xml.append("      <backup><duration>").append(cursor).append("</duration></backup>\n");

            boolean written = false;
            for (int st = 0; st < staves.size(); st++) {
                Staff staff = staves.get(st);
                for (int v = 0; v < staff.voices().size(); v++) {
                    List<Group> groups = staff.voices().get(v);
                    int[] next = nextGroup[st];
                    while (next[v] < groups.size() && groups.get(next[v]).end() <= bar.start()) next[v]++;
                    boolean inBar = next[v] < groups.size() && groups.get(next[v]).onset() < bar.end();
                    if (v > 0 && !inBar) continue;
                    if (written) xml.append("      <backup><duration>").append(bar.length()).append("</duration></backup>\n");
                    int voice = staff.firstVoice() + v;
                    if (inBar) {
                        writeVoice(xml, score, groups, next[v], voice, staff, bar);
                    } else {
                        xml.append("      <note><rest measure=\"yes\"/><duration>").append(bar.length()).append("</duration><voice>").append(voice)
                                .append("</voice>").append(staffXml(staff)).append("</note>\n");
                    }
                    written = true;
                }
            }
            xml.append("    </measure>\n");
        }
        xml.append("  </part>\n");
    }

    /**
     * The track's notes on one staff, or on a grand staff split at middle C when the track is a piano part (the
     * hands are not known; pitch decides).
     */
    private static List<Staff> staves(MeterMap meter, Track track) {
        if (track.role() != Role.PIANO) return List.of(new Staff(0, 1, voices(meter, track.notes())));
        List<Note> upper = track.notes().stream().filter(n -> n.pitch() >= GRAND_STAFF_SPLIT).toList();
        List<Note> lower = track.notes().stream().filter(n -> n.pitch() < GRAND_STAFF_SPLIT).toList();
        return List.of(new Staff(1, 1, voices(meter, upper)), new Staff(2, LOWER_STAFF_FIRST_VOICE, voices(meter, lower)));
    }

    /** Notes as voices of non-overlapping groups on the notation grid, each voice sorted by onset. */
    private static List<List<Group>> voices(MeterMap meter, List<Note> notes) {
        record Notated(Note note, long onset, long end) {
        }
        List<Notated> sorted = new ArrayList<>();
        for (Note note : notes) {
            long onset = toGrid(meter, note.onset());
            long end = Math.max(onset + NOTATION_GRID, toGrid(meter, note.end()));
            sorted.add(new Notated(note, onset, end));
        }
        sorted.sort(Comparator.comparingLong(Notated::onset).thenComparingLong(Notated::end).thenComparingInt(n -> n.note().pitch()));
        List<List<Group>> voices = new ArrayList<>();
        int i = 0;
        while (i < sorted.size()) {
            Notated head = sorted.get(i);
            int j = i;
            List<Note> together = new ArrayList<>();
            while (j < sorted.size() && sorted.get(j).onset() == head.onset() && sorted.get(j).end() == head.end()) together.add(sorted.get(j++).note());
            Group group = new Group(head.onset(), head.end(), together);
            List<Group> target = null;
            for (List<Group> voice : voices) {
                if (voice.get(voice.size() - 1).end() <= group.onset()) {
                    target = voice;
                    break;
                }
            }
            if (target == null) {
                target = new ArrayList<>();
                voices.add(target);
            }
            target.add(group);
            i = j;
        }
        if (voices.isEmpty()) voices.add(List.of());
        return voices;
    }

    /**
     * A played tick on the notation grid: the nearest 16th counted from the bar's downbeat (a pickup counts back
     * from the first downbeat), never before the start of the music.
     */
    private static long toGrid(MeterMap meter, long tick) {
        Bar bar = meter.barAt(tick);
        long downbeat = bar.number() == 0 ? bar.end() : bar.start();
        long snapped = downbeat + Math.round((tick - downbeat) / (double) NOTATION_GRID) * NOTATION_GRID;
        return snapped < 0 ? snapped + NOTATION_GRID : snapped;
    }

    private static void writeVoice(StringBuilder xml, Score score, List<Group> groups, int from, int voice, Staff staff, Bar bar) {
        long cursor = bar.start();
        for (int g = from; g < groups.size() && groups.get(g).onset() < bar.end(); g++) {
            Group group = groups.get(g);
            long start = Math.max(group.onset(), bar.start());
            long stop = Math.min(group.end(), bar.end());
            if (start > cursor) gap(xml, bar, cursor, start, voice, staff);
            List<long[]> pieces = new ArrayList<>();
            split(bar, start, stop, pieces);
            for (int p = 0; p < pieces.size(); p++) {
                long[] piece = pieces.get(p);
                boolean firstPiece = p == 0 && group.onset() >= bar.start();
                boolean lastPiece = p == pieces.size() - 1 && group.end() <= bar.end();
                boolean chord = false;
                for (Note note : group.notes()) {
                    long attack = firstPiece ? note.onset() - group.onset() : 0;
                    long release = lastPiece ? note.end() - group.end() : 0;
                    xml.append("      ").append(noteXml(score, note, piece[1] - piece[0], voice, staff, chord,
                            !firstPiece, !lastPiece, attack, release)).append('\n');
                    chord = true;
                }
            }
            cursor = stop;
        }
        if (cursor < bar.end()) gap(xml, bar, cursor, bar.end(), voice, staff);
    }

    /**
     * Splits [start, stop) of a bar into pieces that are each one plain or dotted note value, at the strongest
     * metric position inside where a piece would hide the beat: a note off the beat ends at the next beat, and in
     * a bar of four beats only a note from the downbeat crosses the middle.
     */
    private static void split(Bar bar, long start, long stop, List<long[]> pieces) {
        TimeSignature signature = bar.timeSignature();
        long origin = bar.number() == 0 ? bar.end() - signature.barTicks() : bar.start();
        long from = start - origin, to = stop - origin;
        long beat = beatUnit(signature);
        long half = signature.numerator() % 2 == 0 && signature.numerator() >= 4 && signature.denominator() == 4 ? signature.barTicks() / 2 : 0;
        long length = to - from;
        long value = plainValue(length);
        boolean crossesHalf = half > 0 && from < half && to > half && from != 0;
        boolean onBeat = from % beat == 0;
        boolean fits = value > 0 && !crossesHalf && (onBeat ? true : from / beat == (to - 1) / beat && from % value == 0);
        if (fits) {
            pieces.add(new long[] {start, stop});
            return;
        }
        for (long level : new long[] {half, beat, 240, 120, 60, 30, 15, 5, 1}) {
            if (level <= 0) continue;
            long boundary = (from / level + 1) * level;
            if (boundary < to) {
                split(bar, start, origin + boundary, pieces);
                split(bar, origin + boundary, stop, pieces);
                return;
            }
        }
        pieces.add(new long[] {start, stop}); // a single tick: no shorter value exists
    }

    /** The beat a bar is felt in: the dotted quarter in 6/8, 9/8, 12/8; else the time signature's beat. */
    private static long beatUnit(TimeSignature signature) {
        boolean compound = signature.denominator() == 8 && signature.numerator() % 3 == 0 && signature.numerator() > 3;
        return compound ? 3 * signature.beatTicks() : signature.beatTicks();
    }

    /** The undotted value of a length that is a plain or dotted note value, else 0. */
    private static long plainValue(long ticks) {
        for (long value : TYPE_TICKS) {
            if (ticks == value || ticks * 2 == value * 3) return value;
        }
        return 0;
    }

    /** Time without notes: rests (one per metric piece) in the staff's first voice, an invisible {@code <forward>} in others. */
    private static void gap(StringBuilder xml, Bar bar, long start, long stop, int voice, Staff staff) {
        if (voice != staff.firstVoice()) {
            xml.append("      ").append(forward(stop - start, voice)).append('\n');
            return;
        }
        List<long[]> pieces = new ArrayList<>();
        split(bar, start, stop, pieces);
        for (long[] piece : pieces) {
            long ticks = piece[1] - piece[0];
            String type = type(ticks);
            xml.append("      ");
            if (type.isEmpty() || ticks % NOTATION_GRID != 0) {
                xml.append(forward(ticks, voice)); // off the grid: the odd start of a played-in pickup, left blank
            } else {
                xml.append("<note><rest/><duration>").append(ticks).append("</duration><voice>").append(voice).append("</voice>")
                        .append(type).append(staffXml(staff)).append("</note>");
            }
            xml.append('\n');
        }
    }

    private static String staffXml(Staff staff) {
        return staff.number() == 0 ? "" : "<staff>" + staff.number() + "</staff>";
    }

    private static String forward(long ticks, int voice) {
        return "<forward><duration>" + ticks + "</duration><voice>" + voice + "</voice></forward>";
    }

    private static String noteXml(Score score, Note note, long ticks, int voice, Staff staff, boolean chord, boolean tieStop, boolean tieStart,
                                  long attack, long release) {
        Spelling.Spelled spelled = Spelling.spell(note.pitch() % 12, score.keyAt(note.onset()).orElse(Spelling.NO_KEY));
        StringBuilder xml = new StringBuilder("<note dynamics=\"").append(dynamics(note.velocity())).append('"');
        if (attack != 0) xml.append(" attack=\"").append(attack).append('"');
        if (release != 0) xml.append(" release=\"").append(release).append('"');
        xml.append('>');
        if (chord) xml.append("<chord/>");
        xml.append("<pitch><step>").append(spelled.step()).append("</step>");
        if (spelled.alter() != 0) xml.append("<alter>").append(spelled.alter()).append("</alter>");
        // the octave of the written letter: Cb4 sounds as B3, B#3 as C4
        xml.append("<octave>").append(Math.floorDiv(note.pitch() - spelled.alter(), 12) - 1).append("</octave></pitch>");
        xml.append("<duration>").append(ticks).append("</duration>");
        if (tieStop) xml.append("<tie type=\"stop\"/>");
        if (tieStart) xml.append("<tie type=\"start\"/>");
        xml.append("<voice>").append(voice).append("</voice>").append(type(ticks)).append(staffXml(staff));
        if (tieStop || tieStart) {
            xml.append("<notations>");
            if (tieStop) xml.append("<tied type=\"stop\"/>");
            if (tieStart) xml.append("<tied type=\"start\"/>");
            xml.append("</notations>");
        }
        return xml.append("</note>").toString();
    }

    /** The tempo in quarter notes per minute, with the fewest decimals that read back to the same microseconds. */
    private static String bpm(TempoMap.Change change) {
        BigDecimal exact = BigDecimal.valueOf(change.bpm());
        for (int decimals = 0; decimals < 12; decimals++) {
            BigDecimal rounded = exact.setScale(decimals, RoundingMode.HALF_UP);
            if (rounded.signum() > 0 && Math.round(60_000_000.0 / rounded.doubleValue()) == change.microsPerQuarter()) {
                return rounded.stripTrailingZeros().toPlainString();
            }
        }
        return exact.toPlainString();
    }

    /** A velocity as MusicXML dynamics: percent of forte, forte being velocity 90. */
    private static String dynamics(int velocity) {
        return BigDecimal.valueOf(velocity * 100L).divide(BigDecimal.valueOf(90), 6, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    /** {@code <type>} and {@code <dot/>}s when the duration is a plain or dotted note value, else nothing. */
    private static String type(long ticks) {
        for (int t = 0; t < TYPE_TICKS.length; t++) {
            for (int dots = 0; dots <= 3; dots++) {
                long value = TYPE_TICKS[t] * ((1L << (dots + 1)) - 1);
                if (value % (1L << dots) == 0 && value / (1L << dots) == ticks) {
                    return "<type>" + TYPE_NAMES[t] + "</type>" + "<dot/>".repeat(dots);
                }
            }
        }
        return "";
    }

    private static String clef(Track track) {
        double mean = track.notes().stream().mapToInt(Note::pitch).average().orElse(60);
        return mean < 60 ? "<clef><sign>F</sign><line>4</line></clef>" : "<clef><sign>G</sign><line>2</line></clef>";
    }

    private static String keyXml(KeySignature key) {
        return "<key><fifths>" + key.fifths() + "</fifths><mode>" + (key.mode() == KeySignature.Mode.MINOR ? "minor" : "major") + "</mode></key>";
    }

    /** The {@code <harmony>} of a chord spelled in the key, or null when MusicXML cannot express it (N, or no shorthand). */
    private static String harmonyXml(Chord chord, KeySignature key) {
        if (chord.isNone()) return null;
        String quality = chord.quality();
        int open = quality.indexOf('(');
        String shorthand = open < 0 ? quality : quality.substring(0, open);
        String kind = HarmonyKinds.musicXmlKind(shorthand);
        if (kind == null) return null;
        StringBuilder xml = new StringBuilder("<harmony><root>");
        appendSpelled(xml, chord.spelledRoot(key), "root-step", "root-alter");
        xml.append("</root><kind>").append(kind).append("</kind>");
        if (!chord.bass().isEmpty()) {
            xml.append("<bass>");
            appendSpelled(xml, chord.spelledBass(key), "bass-step", "bass-alter");
            xml.append("</bass>");
        }
        if (open >= 0) {
            for (String degree : quality.substring(open + 1, quality.length() - 1).split(",")) {
                String text = degree.trim();
                if (text.isEmpty()) continue;
                String type = "add";
                if (text.startsWith("*")) {
                    type = "subtract";
                    text = text.substring(1);
                }
                int alter = 0, i = 0;
                while (i < text.length() && (text.charAt(i) == 'b' || text.charAt(i) == '#')) {
                    alter += text.charAt(i) == '#' ? 1 : -1;
                    i++;
                }
                xml.append("<degree><degree-value>").append(text.substring(i)).append("</degree-value><degree-alter>")
                        .append(alter).append("</degree-alter><degree-type>").append(type).append("</degree-type></degree>");
            }
        }
        return xml.append("</harmony>").toString();
    }

    private static void appendSpelled(StringBuilder xml, Spelling.Spelled spelled, String stepElement, String alterElement) {
        xml.append('<').append(stepElement).append('>').append(spelled.step()).append("</").append(stepElement).append('>');
        if (spelled.alter() != 0) {
            xml.append('<').append(alterElement).append('>').append(spelled.alter()).append("</").append(alterElement).append('>');
        }
    }

    /** Places an element at a tick: in the bar that holds it, or at the very end of the last bar. */
    private static void place(List<List<Placed>> placed, List<Bar> bars, long tick, int order, String xml) {
        int bar = barIndex(bars, tick);
        placed.get(bar).add(new Placed(tick - bars.get(bar).start(), order, xml));
    }

    private static int barIndex(List<Bar> bars, long tick) {
        int low = 0, high = bars.size() - 1;
        while (low < high) {
            int mid = (low + high + 1) >>> 1;
            if (bars.get(mid).start() <= tick) low = mid; else high = mid - 1;
        }
        return low;
    }

    /** Text for XML: markup characters escaped, characters XML 1.0 cannot hold dropped. */
    private static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                default -> {
                    boolean allowed = c == 0x9 || c == 0xA || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) || c >= 0x10000;
                    if (allowed) out.appendCodePoint(c);
                }
            }
        });
        return out.toString();
    }
}
