package dev.merlai.music.musicxml;

import dev.merlai.music.ChordSpan;
import dev.merlai.music.Chord;
import dev.merlai.music.KeySignature;
import dev.merlai.music.MeterMap;
import dev.merlai.music.Note;
import dev.merlai.music.Role;
import dev.merlai.music.Score;
import dev.merlai.music.TempoMap;
import dev.merlai.music.TimeSignature;
import dev.merlai.music.Track;
import dev.merlai.music.io.ReadOptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("MusicXmlWriter")
class MusicXmlWriterTest {

    private static final int Q = Score.TICKS_PER_QUARTER;
    private final MusicXmlWriter writer = new MusicXmlWriter();

    private static Document parse(byte[] xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
    }

    private static Score melody(MeterMap meter, Note... notes) {
        return new Score(TempoMap.constant(90), meter, List.of(KeySignature.parse(0, "F:maj")), List.of(),
                List.of(new Track("Voice", Role.MELODY, 53, 0, List.of(notes))));
    }

    @Test
    @DisplayName("writes score-partwise 4.0 at 480 divisions, a pickup as the implicit measure 0")
    void layout() throws Exception {
        Score score = melody(new MeterMap(List.of(new TimeSignature(0, 3, 4)), Q), new Note(60, 80, 0, Q), new Note(65, 80, Q, 3 * Q));
        Document document = parse(writer.write(score));
        Element root = document.getDocumentElement();
        assertEquals("score-partwise", root.getTagName());
        assertEquals("4.0", root.getAttribute("version"));
        assertEquals("480", document.getElementsByTagName("divisions").item(0).getTextContent());
        Element first = (Element) document.getElementsByTagName("measure").item(0);
        assertEquals("0", first.getAttribute("number"));
        assertEquals("yes", first.getAttribute("implicit"));
        assertEquals("1", ((Element) document.getElementsByTagName("measure").item(1)).getAttribute("number"));
        assertEquals("-1", document.getElementsByTagName("fifths").item(0).getTextContent());
        assertEquals("90", ((Element) document.getElementsByTagName("sound").item(0)).getAttribute("tempo"));
    }

    @Test
    @DisplayName("a note across a bar line is split and tied; the rest of each bar is a rest")
    void ties() throws Exception {
        String xml = new String(writer.write(melody(MeterMap.of(2, 4), new Note(62, 80, Q, 2 * Q))), StandardCharsets.UTF_8);
        assertTrue(xml.contains("<note><rest/><duration>480</duration>"), xml);
        assertTrue(xml.contains("<duration>480</duration><tie type=\"start\"/>"), xml);
        assertTrue(xml.contains("<duration>480</duration><tie type=\"stop\"/>"), xml);
        Score back = new MusicXmlReader().read(xml.getBytes(StandardCharsets.UTF_8), ReadOptions.DEFAULT).score();
        assertEquals(List.of(new Note(62, 80, Q, 2 * Q)), back.melody().orElseThrow().notes());
    }

    @Test
    @DisplayName("notes that start and end together share <chord/>; other overlaps go to a second voice after <backup>")
    void voices() throws Exception {
        Track piano = new Track("Organ", Role.OTHER, 0, 1, List.of(new Note(48, 70, 0, 4 * Q), new Note(52, 70, 0, 4 * Q),
                new Note(60, 70, Q, Q)));
        Score score = new Score(TempoMap.constant(120), MeterMap.of(4, 4), List.of(), List.of(), List.of(piano));
        Document document = parse(writer.write(score));
        assertEquals(1, document.getElementsByTagName("chord").getLength());
        assertEquals(1, document.getElementsByTagName("backup").getLength());
        NodeList voices = document.getElementsByTagName("voice");
        boolean second = false;
        for (int i = 0; i < voices.getLength(); i++) second |= voices.item(i).getTextContent().equals("2");
        assertTrue(second, "a second voice");
        Score back = new MusicXmlReader().read(writer.write(score), ReadOptions.DEFAULT).score();
        assertEquals(List.of(piano), back.tracks());
    }

    @Test
    @DisplayName("chord labels are <harmony> with a kind; a gap after one is kind none")
    void harmony() throws Exception {
        Score score = melody(MeterMap.of(4, 4), new Note(60, 80, 0, 4 * Q))
                .withChords(List.of(new ChordSpan(0, 2 * Q, Chord.parse("Bb:min7/b3")), new ChordSpan(3 * Q, Q, Chord.parse("C:(1,3,5)"))));
        String xml = new String(writer.write(score), StandardCharsets.UTF_8);
        assertTrue(xml.contains("<root><root-step>B</root-step><root-alter>-1</root-alter></root><kind>minor-seventh</kind>"
                + "<bass><bass-step>D</bass-step><bass-alter>-1</bass-alter></bass>"), xml);
        assertTrue(xml.contains("<kind>none</kind>"), xml);
        Score back = new MusicXmlReader().read(xml.getBytes(StandardCharsets.UTF_8), ReadOptions.DEFAULT).score();
        assertEquals(List.of(new ChordSpan(0, 2 * Q, Chord.parse("Bb:min7/b3"))), back.chords(), "C:(1,3,5) has no MusicXML kind");
    }

    @Test
    @DisplayName("played times are notated on the 16th grid, in plain or dotted values tied at beats, and kept as attack and release")
    void notation() throws Exception {
        // Ode to Joy as played: each quarter held 460 ticks, a half note from beat 2 (across the middle of the bar)
        Score score = melody(MeterMap.of(4, 4), new Note(64, 80, 0, 460), new Note(64, 80, Q, 2 * Q - 20), new Note(65, 80, 3 * Q + 10, 450));
        String xml = new String(writer.write(score), StandardCharsets.UTF_8);
        assertTrue(xml.contains("<note dynamics=\"88.888889\" release=\"-20\"><pitch><step>E</step><octave>4</octave></pitch><duration>480</duration><voice>1</voice><type>quarter</type></note>"), xml);
        assertTrue(xml.contains("<duration>480</duration><tie type=\"start\"/><voice>1</voice><type>quarter</type>"), "a half note from beat 2 is tied at the middle: " + xml);
        assertTrue(xml.contains("attack=\"10\" release=\"-20\""), xml);
        assertTrue(!xml.contains("<rest/><duration>20</duration>"), "no tiny rests");
        Document document = parse(xml.getBytes(StandardCharsets.UTF_8));
        NodeList notes = document.getElementsByTagName("note");
        for (int i = 0; i < notes.getLength(); i++) {
            assertEquals(1, ((Element) notes.item(i)).getElementsByTagName("type").getLength(), "every note and rest has a type: " + xml);
        }
        Score back = new MusicXmlReader().read(xml.getBytes(StandardCharsets.UTF_8), ReadOptions.DEFAULT).score();
        assertEquals(score.melody().orElseThrow().notes(), back.melody().orElseThrow().notes(), "played times come back");
    }

    @Test
    @DisplayName("a piano part is a grand staff, split at middle C")
    void grandStaff() throws Exception {
        Track piano = new Track("PIANO", Role.PIANO, 0, 1, List.of(new Note(43, 70, 0, 4 * Q), new Note(67, 70, 0, 2 * Q), new Note(72, 70, 2 * Q, 2 * Q)));
        String xml = new String(writer.write(new Score(TempoMap.constant(120), MeterMap.of(4, 4), List.of(), List.of(), List.of(piano))), StandardCharsets.UTF_8);
        assertTrue(xml.contains("<staves>2</staves><clef number=\"1\"><sign>G</sign><line>2</line></clef><clef number=\"2\"><sign>F</sign><line>4</line></clef>"), xml);
        assertTrue(xml.contains("<octave>2</octave></pitch><duration>1920</duration><voice>5</voice><type>whole</type><staff>2</staff>"), xml);
        assertTrue(xml.contains("<octave>4</octave></pitch><duration>960</duration><voice>1</voice><type>half</type><staff>1</staff>"), xml);
        assertEquals(piano, new MusicXmlReader().read(xml.getBytes(StandardCharsets.UTF_8), ReadOptions.DEFAULT).score().tracks().get(0));
    }

    @Test
    @DisplayName("a score without tracks cannot be MusicXML")
    void noTracks() {
        Score empty = Score.of(List.of());
        assertThrows(IllegalArgumentException.class, () -> writer.write(empty));
    }
}
