package dev.merlai.render;

import dev.merlai.music.Chord;
import dev.merlai.music.ChordSpan;
import dev.merlai.music.MeterMap;
import dev.merlai.music.Note;
import dev.merlai.music.Role;
import dev.merlai.music.Score;
import dev.merlai.music.TempoMap;
import dev.merlai.music.TimeSignature;
import dev.merlai.music.Track;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("PianoRoll draws a score as a PNG")
class PianoRollTest {

    private static final int Q = Score.TICKS_PER_QUARTER;
    private static final int MELODY_RGB = PianoRoll.MELODY_COLOR.getRGB();

    private final PianoRoll roll = new PianoRoll();

    private static Score song(int bars) {
        List<Note> melody = new ArrayList<>(), bass = new ArrayList<>(), drums = new ArrayList<>();
        List<ChordSpan> chords = new ArrayList<>();
        for (int bar = 0; bar < bars; bar++) {
            long start = (long) bar * 4 * Q;
            for (int beat = 0; beat < 4; beat++) {
                melody.add(new Note(64 + (bar + beat) % 8, 90, start + (long) beat * Q, Q));
                drums.add(new Note(beat % 2 == 0 ? 36 : 38, 100, start + (long) beat * Q, Q / 2));
            }
            bass.add(new Note(36 + bar % 5, 80, start, 4 * Q));
            chords.add(new ChordSpan(start, 4 * Q, bar % 2 == 0 ? Chord.parse("C:maj") : Chord.parse("A:min7")));
        }
        return new Score(TempoMap.constant(100), MeterMap.of(4, 4), List.of(), chords, List.of(
                new Track("MELODY", Role.MELODY, 73, 0, melody),
                new Track("Bass", Role.BASS, 33, 1, bass),
                new Track("Drums", Role.DRUMS, 0, Track.DRUM_CHANNEL, drums)));
    }

    private static BufferedImage decode(byte[] png) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertTrue(image != null, "ImageIO decodes the PNG");
        return image;
    }

    @Test
    void thePngDecodesWithTheDocumentedSize() throws IOException {
        Score score = song(8);
        BufferedImage image = decode(roll.png(score));
        // 8 bars of 4/4 at 24 px per quarter = 768 px of plot; pitches 36..71 with 3 semitones each side = 42 rows.
        int rows = (71 + 3) - (36 - 3) + 1;
        int height = PianoRoll.LEGEND_HEIGHT + 2 * PianoRoll.CHORD_ROW_HEIGHT + rows * PianoRoll.ROW_HEIGHT
                + PianoRoll.DRUM_GAP + PianoRoll.DRUM_LANE_HEIGHT + PianoRoll.BOTTOM;
        assertEquals(PianoRoll.LEFT + 8 * 4 * PianoRoll.PX_PER_QUARTER + PianoRoll.RIGHT, image.getWidth());
        assertEquals(height, image.getHeight());
    }

    @Test
    void longScoresAreCompressedToTheMaximumWidth() throws IOException {
        BufferedImage image = decode(roll.png(song(200)));
        assertEquals(PianoRoll.MAX_WIDTH, image.getWidth());
        assertEquals(4000, PianoRoll.MAX_WIDTH);
    }

    @Test
    void shortScoresAreStretchedToTheMinimumWidth() throws IOException {
        BufferedImage image = decode(roll.png(song(1)));
        assertEquals(PianoRoll.LEFT + PianoRoll.MIN_PLOT_WIDTH + PianoRoll.RIGHT, image.getWidth());
    }

    @Test
    void melodyNotesAreDrawnInTheMelodyColourWhereTheyAre() throws IOException {
        for (int bars : new int[] {1, 8, 200}) {
            Score score = song(bars);
            BufferedImage image = decode(roll.png(score));
            PianoRoll.Layout layout = PianoRoll.layout(score);
            for (Note note : score.melody().orElseThrow().notes()) {
                int x = (layout.x(note.onset()) + layout.x(note.end())) / 2;
                int y = layout.y(note.pitch()) + PianoRoll.ROW_HEIGHT / 2;
                assertEquals(MELODY_RGB, image.getRGB(x, y), "melody pixel of " + note + " in " + bars + " bars");
            }
        }
    }

    @Test
    void theMelodyColourAppearsNowhereButOnMelodyNotes() throws IOException {
        Score score = song(4);
        BufferedImage image = decode(roll.png(score));
        PianoRoll.Layout layout = PianoRoll.layout(score);
        // Between the melody (64..71) and the bass (36..40) there are no melody pixels.
        for (int y = layout.y(60); y < layout.y(44); y++) {
            for (int x = PianoRoll.LEFT; x < image.getWidth() - PianoRoll.RIGHT; x++) {
                assertNotEquals(MELODY_RGB, image.getRGB(x, y), "no melody colour at " + x + "," + y);
            }
        }
    }

    @Test
    void barLinesAreDrawnAtDownbeatsFromTheMeterMap() throws IOException {
        // 3/4: bar lines every 3 quarters.
        Track melody = new Track("MELODY", Role.MELODY, 0, 0, List.of(new Note(60, 90, 0, 9 * Q)));
        Score score = new Score(TempoMap.constant(90), new MeterMap(List.of(new TimeSignature(0, 3, 4))), List.of(), List.of(), List.of(melody));
        BufferedImage image = decode(roll.png(score));
        PianoRoll.Layout layout = PianoRoll.layout(score);
        int y = layout.y(layout.highPitch()) + 1;
        int barLine = image.getRGB(layout.x(3 * Q), y);
        int beatLine = image.getRGB(layout.x(4 * Q), y);
        int empty = image.getRGB(layout.x(4 * Q) + 5, y);
        assertTrue(brightness(barLine) < brightness(beatLine) && brightness(beatLine) < brightness(empty),
                "bar line darker than beat line darker than background");
    }

    @Test
    void anEmptyScoreGivesAnEmptyGrid() throws IOException {
        BufferedImage image = decode(roll.png(Score.of(List.of())));
        assertEquals(PianoRoll.LEFT + PianoRoll.MIN_PLOT_WIDTH + PianoRoll.RIGHT, image.getWidth());
        for (int x = 0; x < image.getWidth(); x++) {
            for (int y = 0; y < image.getHeight(); y++) assertNotEquals(MELODY_RGB, image.getRGB(x, y));
        }
    }

    private static int brightness(int rgb) {
        return ((rgb >> 16) & 0xFF) + ((rgb >> 8) & 0xFF) + (rgb & 0xFF);
    }
}
