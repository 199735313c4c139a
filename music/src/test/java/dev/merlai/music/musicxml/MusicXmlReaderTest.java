package dev.merlai.music.musicxml;

import dev.merlai.music.Chord;
import dev.merlai.music.ChordSpan;
import dev.merlai.music.KeySignature;
import dev.merlai.music.Note;
import dev.merlai.music.PedalSpan;
import dev.merlai.music.Role;
import dev.merlai.music.Score;
import dev.merlai.music.TempoMap;
import dev.merlai.music.TimeSignature;
import dev.merlai.music.Track;
import dev.merlai.music.io.ReadLimits;
import dev.merlai.music.io.ReadOptions;
import dev.merlai.music.io.ReadResult;
import dev.merlai.music.io.ScoreReadException;
import dev.merlai.music.io.ScoreReadException.Kind;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("MusicXmlReader")
class MusicXmlReaderTest {

    private static final int Q = Score.TICKS_PER_QUARTER;
    private final MusicXmlReader reader = new MusicXmlReader();

    // ------------------------------------------------------------------ building inputs

    /** A score-partwise document: part-list entries "id:name" and the parts' measures, in order. */
    static String score(String[] parts, String... bodies) {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<score-partwise version=\"4.0\"><part-list>");
        for (String part : parts) {
            String[] idName = part.split(":", 2);
            xml.append("<score-part id=\"").append(idName[0]).append("\"><part-name>").append(idName[1]).append("</part-name></score-part>");
        }
        xml.append("</part-list>");
        for (int i = 0; i < parts.length; i++) {
            xml.append("<part id=\"").append(parts[i].split(":", 2)[0]).append("\">").append(bodies[i]).append("</part>");
        }
        return xml.append("</score-partwise>").toString();
    }

    static String one(String measures) {
        return score(new String[]{"P1:Voice"}, measures);
    }

    static String note(String step, int octave, int duration) {
        return "<note><pitch><step>" + step + "</step><octave>" + octave + "</octave></pitch><duration>" + duration + "</duration></note>";
    }

    static String note(String step, int octave, int duration, String extra) {
        return "<note>" + extra + "<pitch><step>" + step + "</step><octave>" + octave + "</octave></pitch><duration>" + duration + "</duration></note>";
    }

    static String voiced(String step, int octave, int duration, int voice) {
        return "<note><pitch><step>" + step + "</step><octave>" + octave + "</octave></pitch><duration>" + duration
                + "</duration><voice>" + voice + "</voice></note>";
    }

    static String attributes(int divisions, int beats, int beatType) {
        return "<attributes><divisions>" + divisions + "</divisions><time><beats>" + beats + "</beats><beat-type>" + beatType + "</beat-type></time></attributes>";
    }

    private ReadResult read(String xml) throws ScoreReadException {
        return reader.read(xml.getBytes(StandardCharsets.UTF_8), ReadOptions.DEFAULT);
    }

    private ScoreReadException failure(String xml) {
        return assertThrows(ScoreReadException.class, () -> read(xml));
    }

    static byte[] zip(String... namesAndContents) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (int i = 0; i < namesAndContents.length; i += 2) {
                zip.putNextEntry(new ZipEntry(namesAndContents[i]));
                zip.write(namesAndContents[i + 1].getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    static final String CONTAINER = "<?xml version=\"1.0\"?><container><rootfiles><rootfile full-path=\"music/song.musicxml\"/></rootfiles></container>";

    // ------------------------------------------------------------------ time

    @Nested
    @DisplayName("times")
    class Times {

        @Test
        @DisplayName("<divisions> may change inside a part; every duration is scaled by the divisions in force")
        void divisionsChange() throws Exception {
            String xml = one("<measure number=\"1\">" + attributes(1, 3, 4) + note("C", 4, 1)
                    + "<attributes><divisions>4</divisions></attributes>" + note("D", 4, 4)
                    + "<attributes><divisions>3</divisions></attributes>" + note("E", 4, 1) + note("F", 4, 1) + note("G", 4, 1)
                    + "</measure><measure number=\"2\">" + note("A", 4, 9) + "</measure>");
            List<Note> notes = read(xml).score().tracks().get(0).notes();
            assertEquals(List.of(new Note(60, 80, 0, Q), new Note(62, 80, Q, Q), new Note(64, 80, 2 * Q, Q / 3),
                    new Note(65, 80, 2 * Q + Q / 3, Q / 3), new Note(67, 80, 2 * Q + 2 * Q / 3, Q / 3),
                    new Note(69, 80, 3 * Q, 3 * Q)), notes);
        }

        @Test
        @DisplayName("triplets sum exactly: three thirds of a quarter at divisions 3 end on the beat")
        void exactArithmetic() throws Exception {
            StringBuilder measure = new StringBuilder("<measure number=\"1\">" + attributes(3, 1, 4));
            for (int i = 0; i < 3; i++) measure.append(note("C", 4, 1));
            measure.append("</measure><measure number=\"2\">").append(note("D", 4, 3)).append("</measure>");
            List<Note> notes = read(one(measure.toString())).score().tracks().get(0).notes();
            assertEquals(new Note(62, 80, Q, Q), notes.get(3));
        }

        @Test
        @DisplayName("<backup> and <forward> move the cursor: two voices of a piano part both sound")
        void backupAndForward() throws Exception {
            String piano = "<measure number=\"1\"><attributes><divisions>2</divisions><staves>2</staves><time><beats>4</beats><beat-type>4</beat-type></time></attributes>"
                    + voiced("E", 5, 4, 1) + voiced("D", 5, 4, 1)
                    + "<backup><duration>8</duration></backup>"
                    + "<forward><duration>2</duration><voice>2</voice></forward>" + voiced("C", 3, 2, 2) + voiced("G", 2, 4, 2)
                    + "</measure>";
            Track track = read(score(new String[]{"P1:Piano"}, piano)).score().tracks().get(0);
            assertEquals(List.of(new Note(76, 80, 0, 2 * Q), new Note(48, 80, Q, Q), new Note(43, 80, 2 * Q, 2 * Q),
                    new Note(74, 80, 2 * Q, 2 * Q)), track.notes());
        }

        @Test
        @DisplayName("<chord/> notes start with the previous note; a melody keeps only the highest of them")
        void chords() throws Exception {
            String chord = "<measure number=\"1\">" + attributes(1, 2, 4) + note("C", 4, 2) + note("E", 4, 2, "<chord/>")
                    + note("G", 4, 1, "<chord/>") + "</measure>";
            String xml = score(new String[]{"P1:Voice", "P2:Guitar"}, chord, chord);
            Score score = read(xml).score();
            assertEquals(List.of(new Note(67, 80, 0, Q)), score.tracks().get(0).notes(), "melody: the highest note");
            assertEquals(List.of(new Note(60, 80, 0, 2 * Q), new Note(64, 80, 0, 2 * Q), new Note(67, 80, 0, Q)),
                    score.tracks().get(1).notes(), "other parts: the whole chord");
        }

        @Test
        @DisplayName("the melody keeps its lowest-numbered voice only")
        void melodyVoiceOne() throws Exception {
            String xml = one("<measure number=\"1\">" + attributes(1, 2, 4) + voiced("G", 4, 2, 1)
                    + "<backup><duration>2</duration></backup>" + voiced("C", 4, 1, 2) + voiced("D", 4, 1, 2) + "</measure>");
            assertEquals(List.of(new Note(67, 80, 0, 2 * Q)), read(xml).score().tracks().get(0).notes());
        }

        @Test
        @DisplayName("notes tied across a bar line are one note")
        void ties() throws Exception {
            String xml = one("<measure number=\"1\">" + attributes(1, 2, 4) + note("C", 4, 1)
                    + note("E", 4, 1, "").replace("</duration>", "</duration><tie type=\"start\"/>")
                    + "</measure><measure number=\"2\">" + note("E", 4, 2, "").replace("</duration>", "</duration><tie type=\"stop\"/>")
                    + "</measure>");
            assertEquals(List.of(new Note(60, 80, 0, Q), new Note(64, 80, Q, 3 * Q)), read(xml).score().tracks().get(0).notes());
        }

        @Test
        @DisplayName("grace notes are skipped and take no time")
        void graceNotes() throws Exception {
            String grace = "<note><grace/><pitch><step>B</step><octave>3</octave></pitch><voice>1</voice></note>";
            String xml = one("<measure number=\"1\">" + attributes(1, 2, 4) + grace + note("C", 4, 1) + grace + note("D", 4, 1) + "</measure>");
            assertEquals(List.of(new Note(60, 80, 0, Q), new Note(62, 80, Q, Q)), read(xml).score().tracks().get(0).notes());
        }

        @Test
        @DisplayName("rests take time and give no note")
        void rests() throws Exception {
            String xml = one("<measure number=\"1\">" + attributes(1, 2, 4) + "<note><rest/><duration>1</duration></note>" + note("C", 4, 1) + "</measure>");
            assertEquals(List.of(new Note(60, 80, Q, Q)), read(xml).score().tracks().get(0).notes());
        }
    }

    // ------------------------------------------------------------------ meter, keys, tempo, chords

    @Nested
    @DisplayName("meter, keys, tempo and chords")
    class Structure {

        @Test
        @DisplayName("<time> and <key> changes become time and key signatures at their measure")
        void timeAndKeyChange() throws Exception {
            String xml = one("<measure number=\"1\"><attributes><divisions>1</divisions><key><fifths>-3</fifths><mode>minor</mode></key>"
                    + "<time><beats>3</beats><beat-type>4</beat-type></time></attributes>" + note("C", 4, 3) + "</measure>"
                    + "<measure number=\"2\"><attributes><key><fifths>2</fifths></key><time><beats>6</beats><beat-type>8</beat-type></time></attributes>"
                    + note("D", 4, 3) + "</measure>");
            Score score = read(xml).score();
            assertEquals(List.of(new TimeSignature(0, 3, 4), new TimeSignature(3 * Q, 6, 8)), score.meter().changes());
            assertEquals(List.of(KeySignature.parse(0, "C:min"), KeySignature.parse(3 * Q, "D:maj")), score.keys());
        }

        @Test
        @DisplayName("a short first measure is a pickup")
        void pickup() throws Exception {
            String xml = one("<measure number=\"0\" implicit=\"yes\">" + attributes(1, 3, 4) + note("G", 4, 1) + "</measure>"
                    + "<measure number=\"1\">" + note("C", 5, 3) + "</measure>");
            Score score = read(xml).score();
            assertEquals(Q, score.meter().pickup());
            assertEquals(List.of(new TimeSignature(0, 3, 4)), score.meter().changes());
            assertEquals(1, score.meter().barAt(Q).number());
        }

        @Test
        @DisplayName("a short measure inside the piece gets a time signature of its length, then the written one returns")
        void irregularMeasure() throws Exception {
            String xml = one("<measure number=\"1\">" + attributes(1, 4, 4) + note("C", 4, 4) + "</measure>"
                    + "<measure number=\"2\">" + note("D", 4, 2) + "</measure>"
                    + "<measure number=\"3\">" + note("E", 4, 4) + "</measure>"
                    + "<measure number=\"4\">" + note("F", 4, 1) + "</measure>");
            Score score = read(xml).score();
            assertEquals(List.of(new TimeSignature(0, 4, 4), new TimeSignature(4 * Q, 2, 4), new TimeSignature(6 * Q, 4, 4)),
                    score.meter().changes(), "the short last measure needs nothing");
            assertEquals(new Note(65, 80, 10 * Q, Q), score.tracks().get(0).notes().get(3));
        }

        @Test
        @DisplayName("tempo comes from <sound tempo> in a direction or alone; before the first one it is 100 bpm")
        void tempo() throws Exception {
            String xml = one("<measure number=\"1\">" + attributes(2, 2, 4) + note("C", 4, 2)
                    + "<direction><direction-type><words>Allegro</words></direction-type><offset>1</offset><sound tempo=\"132\"/></direction>"
                    + note("D", 4, 2) + "</measure><measure number=\"2\"><sound tempo=\"60.5\"/>" + note("E", 4, 4) + "</measure>");
            assertEquals(List.of(TempoMap.Change.ofBpm(0, 100), TempoMap.Change.ofBpm(Q + Q / 2, 132), TempoMap.Change.ofBpm(2 * Q, 60.5)),
                    read(xml).score().tempo().changes(), "a direction's <offset> moves its tempo");
        }

        @Test
        @DisplayName("a tempo at the start replaces the 100 bpm default")
        void tempoAtStart() throws Exception {
            String xml = one("<measure number=\"1\">" + attributes(1, 2, 4) + "<direction><direction-type><metronome><beat-unit>quarter</beat-unit>"
                    + "<per-minute>72</per-minute></metronome></direction-type><sound tempo=\"72\"/></direction>" + note("C", 4, 2) + "</measure>");
            assertEquals(TempoMap.constant(72), read(xml).score().tempo());
        }

        @Test
        @DisplayName("<harmony> becomes chord labels that last until the next harmony; kind none ends one")
        void harmony() throws Exception {
            String xml = one("<measure number=\"1\">" + attributes(1, 4, 4)
                    + "<harmony><root><root-step>F</root-step><root-alter>1</root-alter></root><kind>minor-seventh</kind>"
                    + "<bass><bass-step>C</bass-step><bass-alter>1</bass-alter></bass></harmony>" + note("C", 4, 2)
                    + "<harmony><root><root-step>B</root-step><root-alter>-1</root-alter></root><kind text=\"sus\">suspended-fourth</kind>"
                    + "<degree><degree-value>7</degree-value><degree-alter>-1</degree-alter><degree-type>add</degree-type></degree></harmony>"
                    + note("D", 4, 1)
                    + "<harmony><root><root-step>C</root-step></root><kind>none</kind></harmony>" + note("E", 4, 1)
                    + "</measure><measure number=\"2\"><harmony><root><root-step>G</root-step></root><kind>Tristan</kind></harmony>"
                    + note("F", 4, 4) + "</measure>");
            assertEquals(List.of(new ChordSpan(0, 2 * Q, Chord.parse("F#:min7/5")), new ChordSpan(2 * Q, Q, Chord.parse("Bb:sus4(b7)")),
                    new ChordSpan(4 * Q, 4 * Q, Chord.parse("G:maj"))), read(xml).score().chords(), "unknown kinds fall back to major");
        }

        @Test
        @DisplayName("velocity follows <sound dynamics> (percent of forte = 90), else 80")
        void dynamics() throws Exception {
            String xml = one("<measure number=\"1\">" + attributes(1, 2, 4) + note("C", 4, 1)
                    + "<direction><direction-type><dynamics><p/></dynamics></direction-type><sound dynamics=\"54.44\"/></direction>"
                    + note("D", 4, 1) + "</measure>");
            List<Note> notes = read(xml).score().tracks().get(0).notes();
            assertEquals(80, notes.get(0).velocity());
            assertEquals(49, notes.get(1).velocity());
        }

        @Test
        @DisplayName("<pedal> start and stop become sustain spans")
        void pedal() throws Exception {
            String piano = "<measure number=\"1\"><attributes><divisions>1</divisions><staves>2</staves></attributes>"
                    + "<direction><direction-type><pedal type=\"start\"/></direction-type></direction>" + note("C", 3, 2)
                    + "<direction><direction-type><pedal type=\"change\"/></direction-type></direction>" + note("D", 3, 1)
                    + "<direction><direction-type><pedal type=\"stop\"/></direction-type></direction>" + note("E", 3, 1) + "</measure>";
            Track track = read(score(new String[]{"P1:Piano"}, piano)).score().tracks().get(0);
            assertEquals(List.of(new PedalSpan(0, 2 * Q), new PedalSpan(2 * Q, Q)), track.sustain());
        }

        @Test
        @DisplayName("<transpose> is applied and <midi-program> is 1-based")
        void transposeAndProgram() throws Exception {
            String xml = "<score-partwise version=\"3.1\"><part-list><score-part id=\"P1\"><part-name>Clarinet in Bb</part-name>"
                    + "<midi-instrument id=\"P1-I1\"><midi-channel>3</midi-channel><midi-program>72</midi-program></midi-instrument></score-part></part-list>"
                    + "<part id=\"P1\"><measure number=\"1\"><attributes><divisions>1</divisions><transpose><diatonic>-1</diatonic>"
                    + "<chromatic>-2</chromatic></transpose></attributes>" + note("D", 4, 4) + "</measure></part></score-partwise>";
            Track track = read(xml).score().tracks().get(0);
            assertEquals(60, track.notes().get(0).pitch());
            assertEquals(71, track.program());
            assertEquals(2, track.channel());
        }
    }

    // ------------------------------------------------------------------ parts and roles

    @Nested
    @DisplayName("parts and roles")
    class Parts {

        private final String measure = "<measure number=\"1\">" + attributes(1, 1, 4) + note("C", 4, 1) + "</measure>";
        private final String pianoMeasure = "<measure number=\"1\"><attributes><divisions>1</divisions><staves>2</staves></attributes>"
                + note("C", 3, 1) + "</measure>";

        @Test
        @DisplayName("each part is a track: the voice is the melody, a 2-staff part is piano, the rest other")
        void roles() throws Exception {
            ReadResult result = read(score(new String[]{"P1:Flute", "P2:Singstimme", "P3:Pianoforte"}, measure, measure, pianoMeasure));
            List<Track> tracks = result.score().tracks();
            assertEquals(List.of(Role.OTHER, Role.MELODY, Role.PIANO), tracks.stream().map(Track::role).toList());
            assertEquals(List.of("Flute", "Singstimme", "Pianoforte"), tracks.stream().map(Track::name).toList());
            assertEquals("part P2 \"Singstimme\" (single-staff part named like a voice)", result.melodyChoice());
            assertEquals(MusicXmlReader.VOICE_PROGRAM, tracks.get(1).program());
            assertEquals(0, tracks.get(2).program());
        }

        @Test
        @DisplayName("lyrics make a part the melody; without a voice, the first single-staff part is")
        void lyricsAndFallback() throws Exception {
            String sung = measure.replace("</duration>", "</duration><lyric><text>la</text></lyric>");
            assertEquals("part P2 \"Line\" (single-staff part with lyrics)",
                    read(score(new String[]{"P1:Keys", "P2:Line"}, pianoMeasure, sung)).melodyChoice());
            assertEquals("part P2 \"Violin\" (first single-staff part)",
                    read(score(new String[]{"P1:Keys", "P2:Violin"}, pianoMeasure, measure)).melodyChoice());
            ReadResult solo = read(score(new String[]{"P1:Piano"}, pianoMeasure));
            assertTrue(solo.score().melody().isEmpty(), "a piano solo has no melody");
            assertEquals("", solo.melodyChoice());
        }

        @Test
        @DisplayName("the user may name the melody part by id or name, in any case")
        void userNamedPart() throws Exception {
            String xml = score(new String[]{"P1:Voice", "P2:Violin"}, measure, measure);
            ReadResult byName = reader.read(xml.getBytes(StandardCharsets.UTF_8), ReadOptions.DEFAULT.withMelodyPart("violin"));
            assertEquals(Role.MELODY, byName.score().tracks().get(1).role());
            assertEquals(Role.OTHER, byName.score().tracks().get(0).role());
            assertEquals("part P2 \"Violin\" (named by the user)", byName.melodyChoice());
            ReadResult byId = reader.read(xml.getBytes(StandardCharsets.UTF_8), ReadOptions.DEFAULT.withMelodyPart("p2"));
            assertEquals(Role.MELODY, byId.score().tracks().get(1).role());
        }

        @Test
        @DisplayName("an unknown melody part is NO_MELODY, naming the parts there are")
        void unknownPart() {
            String xml = score(new String[]{"P1:Voice", "P2:Violin"}, measure, measure);
            ScoreReadException e = assertThrows(ScoreReadException.class,
                    () -> reader.read(xml.getBytes(StandardCharsets.UTF_8), ReadOptions.DEFAULT.withMelodyPart("Cello")));
            assertEquals(Kind.NO_MELODY, e.kind());
            assertTrue(e.getMessage().contains("P1 \"Voice\"") && e.getMessage().contains("P2 \"Violin\""), e.getMessage());
        }
    }

    // ------------------------------------------------------------------ containers and safety

    @Nested
    @DisplayName("files, safety and errors")
    class Safety {

        private final String simple = one("<measure number=\"1\">" + attributes(1, 1, 4) + note("C", 4, 1) + "</measure>");

        @Test
        @DisplayName("a .mxl zip is read through META-INF/container.xml")
        void compressed() throws Exception {
            byte[] mxl = zip("META-INF/container.xml", CONTAINER, "music/song.musicxml", simple);
            Score score = reader.read(mxl, ReadOptions.DEFAULT).score();
            assertEquals(List.of(new Note(60, 80, 0, Q)), score.tracks().get(0).notes());
        }

        @Test
        @DisplayName("a .mxl without container.xml: its first MusicXML file")
        void compressedWithoutContainer() throws Exception {
            byte[] mxl = zip("song.xml", simple);
            assertEquals(1, reader.read(mxl, ReadOptions.DEFAULT).score().noteCount());
        }

        @Test
        @DisplayName("score-timewise is UNSUPPORTED")
        void timewise() {
            ScoreReadException e = failure("<score-timewise version=\"4.0\"><part-list/></score-timewise>");
            assertEquals(Kind.UNSUPPORTED, e.kind());
        }

        @Test
        @DisplayName("a DOCTYPE naming the MusicXML DTD is read without fetching it")
        void publicDoctype() throws Exception {
            String xml = simple.replace("<score-partwise", "<!DOCTYPE score-partwise PUBLIC \"-//Recordare//DTD MusicXML 4.0 Partwise//EN\" "
                    + "\"http://www.musicxml.org/dtds/partwise.dtd\">\n<score-partwise");
            assertEquals(1, read(xml).score().noteCount());
        }

        @Test
        @DisplayName("an external entity is neither fetched nor expanded")
        void externalEntity() throws Exception {
            String xml = simple.replace("<score-partwise", "<!DOCTYPE score-partwise [<!ENTITY secret SYSTEM \"file:///etc/hostname\">]>\n<score-partwise")
                    .replace("<part-name>Voice</part-name>", "<part-name>Voice&secret;</part-name>");
            try {
                Track track = read(xml).score().tracks().get(0);
                assertEquals("Voice", track.name(), "the entity gives nothing");
            } catch (ScoreReadException e) {
                assertEquals(Kind.CORRUPT, e.kind());
            }
        }

        @Test
        @DisplayName("an entity expansion bomb stops with a ScoreReadException")
        void billionLaughs() {
            StringBuilder dtd = new StringBuilder("<!DOCTYPE score-partwise [<!ENTITY l0 \"lol\">");
            for (int i = 1; i < 10; i++) dtd.append("<!ENTITY l").append(i).append(" \"").append(("&l" + (i - 1) + ";").repeat(10)).append("\">");
            dtd.append("]>\n");
            String xml = simple.replace("<score-partwise", dtd + "<score-partwise").replace("<part-name>Voice</part-name>", "<part-name>&l9;</part-name>");
            assertEquals(Kind.CORRUPT, failure(xml).kind());
        }

        @Test
        @DisplayName("deeply nested elements are CORRUPT, not a stack overflow")
        void deepNesting() {
            String deep = "<a>".repeat(50_000) + "</a>".repeat(50_000);
            ScoreReadException e = failure(simple.replace("<part-name>Voice</part-name>", "<part-name>" + deep + "</part-name>"));
            assertEquals(Kind.CORRUPT, e.kind());
        }

        @Test
        @DisplayName("malformed XML is CORRUPT with its line and column")
        void malformedXml() {
            ScoreReadException e = failure("<score-partwise>\n<part-list>\n</score-partwise>");
            assertEquals(Kind.CORRUPT, e.kind());
            assertTrue(e.location().startsWith("line 3"), e.location());
        }

        @Test
        @DisplayName("bad values are CORRUPT with the part and measure")
        void badValues() {
            String twoMeasures = "<measure number=\"1\">" + attributes(1, 1, 4) + note("C", 4, 1) + "</measure><measure number=\"14\">%s</measure>";
            String[] bad = {
                    note("C", 4, -1),
                    "<attributes><divisions>0</divisions></attributes>",
                    "<attributes><divisions>99999999999</divisions></attributes>",
                    note("H", 4, 1),
                    note("C", 4, 1).replace("<duration>1</duration>", "<duration>one</duration>"),
                    note("C", 12, 1),
                    "<sound tempo=\"fast\"/>",
            };
            for (String measure : bad) {
                ScoreReadException e = failure(one(String.format(twoMeasures, measure)));
                assertEquals(Kind.CORRUPT, e.kind(), measure);
                assertEquals("part P1, measure 14", e.location(), measure);
            }
        }

        @Test
        @DisplayName("a backup past the start of the measure is clamped to it, as MuseScore files need")
        void backupPastTheMeasureStart() throws Exception {
            String measures = "<measure number=\"1\">" + attributes(1, 1, 4) + note("C", 4, 1) + "</measure><measure number=\"2\">"
                    + note("D", 4, 1) + "<backup><duration>2</duration></backup>" + note("E", 4, 1) + "</measure>";
            var notes = reader.read(one(measures).getBytes(java.nio.charset.StandardCharsets.UTF_8), ReadOptions.DEFAULT).score().tracks().get(0).notes();
            // D and E both start the measure; the melody keeps the higher of simultaneous notes.
            assertEquals(64, notes.get(notes.size() - 1).pitch());
            assertEquals(480, notes.get(notes.size() - 1).onset(), "E starts where the measure starts");
        }

        @Test
        @DisplayName("a document that is not MusicXML, or has no part, is CORRUPT")
        void notMusicXml() {
            assertEquals(Kind.CORRUPT, failure("<html><body/></html>").kind());
            assertEquals(Kind.CORRUPT, failure("<score-partwise version=\"4.0\"><part-list/></score-partwise>").kind());
            assertEquals(Kind.CORRUPT, assertThrows(ScoreReadException.class, () -> reader.read(new byte[0], ReadOptions.DEFAULT)).kind());
            assertEquals(Kind.CORRUPT, assertThrows(ScoreReadException.class,
                    () -> reader.read(new byte[]{'P', 'K', 3, 4, 0, 0}, ReadOptions.DEFAULT)).kind());
        }

        @Test
        @DisplayName("a zip bomb stops at the byte limit as it inflates: LIMIT_EXCEEDED")
        void zipBomb() throws Exception {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
                zip.putNextEntry(new ZipEntry("score.xml"));
                byte[] spaces = new byte[1 << 20];
                java.util.Arrays.fill(spaces, (byte) ' ');
                for (int i = 0; i < 64; i++) zip.write(spaces);
                zip.closeEntry();
            }
            byte[] bomb = bytes.toByteArray();
            assertTrue(bomb.length < 200_000, "64 MiB of spaces packs small: " + bomb.length);
            ScoreReadException e = assertThrows(ScoreReadException.class, () -> reader.read(bomb, ReadOptions.DEFAULT));
            assertEquals(Kind.LIMIT_EXCEEDED, e.kind());
        }

        @Test
        @DisplayName("a zip with too many entries is LIMIT_EXCEEDED")
        void zipEntries() throws Exception {
            String[] entries = new String[2 * (MusicXmlReader.MAX_ZIP_ENTRIES + 1)];
            for (int i = 0; i < entries.length; i += 2) {
                entries[i] = "e" + i + ".txt";
                entries[i + 1] = "";
            }
            assertEquals(Kind.LIMIT_EXCEEDED, assertThrows(ScoreReadException.class, () -> reader.read(zip(entries), ReadOptions.DEFAULT)).kind());
        }

        @Test
        @DisplayName("limits on bytes, parts, notes and duration are LIMIT_EXCEEDED")
        void limits() {
            byte[] xml = simple.getBytes(StandardCharsets.UTF_8);
            ReadLimits d = ReadLimits.DEFAULT;
            ReadLimits[] tight = {
                    new ReadLimits(xml.length - 1, d.maxTracks(), d.maxNotes(), d.maxDurationSeconds()),
                    new ReadLimits(d.maxBytes(), d.maxTracks(), d.maxNotes(), 0.1),
            };
            for (ReadLimits limits : tight) {
                ScoreReadException e = assertThrows(ScoreReadException.class, () -> reader.read(xml, new ReadOptions(limits, null)));
                assertEquals(Kind.LIMIT_EXCEEDED, e.kind());
            }
            String measure = "<measure number=\"1\">" + attributes(1, 2, 4) + note("C", 4, 1) + note("D", 4, 1) + "</measure>";
            byte[] two = score(new String[]{"P1:A", "P2:B"}, measure, measure).getBytes(StandardCharsets.UTF_8);
            assertEquals(Kind.LIMIT_EXCEEDED, assertThrows(ScoreReadException.class, () -> reader.read(two,
                    new ReadOptions(new ReadLimits(d.maxBytes(), 1, d.maxNotes(), d.maxDurationSeconds()), null))).kind());
            assertEquals(Kind.LIMIT_EXCEEDED, assertThrows(ScoreReadException.class, () -> reader.read(two,
                    new ReadOptions(new ReadLimits(d.maxBytes(), 2, 3, d.maxDurationSeconds()), null))).kind());
        }

        @Test
        @DisplayName("a measure far in the future is LIMIT_EXCEEDED by duration, not an overflow")
        void hugeForward() {
            String xml = one("<measure number=\"1\">" + attributes(1, 1, 4) + "<forward><duration>999999999999</duration></forward>"
                    + note("C", 4, 1) + "</measure>");
            ScoreReadException e = failure(xml);
            assertTrue(e.kind() == Kind.LIMIT_EXCEEDED || e.kind() == Kind.CORRUPT, e.kind().toString());
            assertFalse(e.getMessage().isEmpty());
        }
    }
}
