package dev.merlai.arranger;

import dev.merlai.arranger.model.ArrangementModels;
import dev.merlai.music.MeterMap;
import dev.merlai.music.Score;
import dev.merlai.music.io.ReadOptions;
import dev.merlai.music.io.ScoreFormat;
import dev.merlai.music.io.Scores;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Songs completed side by side, their drum and dynamics model calls answered in shared batches: each song's
 * arrangement is byte for byte the one it gets alone, whatever the lengths and meters of the songs beside it.
 */
class BatchArrangerTest {

    private static ArrangementModels models;
    private static List<Score> songs;

    @BeforeAll
    static void loadSongs() throws Exception {
        models = Examples.shippedModels();
        Score ode = Examples.odeToJoy();
        songs = new ArrayList<>(List.of(ode, ode.withMeter(MeterMap.of(3, 4)), ode.withMeter(MeterMap.of(6, 8))));
        for (String lied : List.of("lc5729860", "lc5978033", "lc6488630")) {
            songs.add(Scores.read(Examples.repoRoot().resolve("examples/lieder/" + lied + ".mxl"), ReadOptions.DEFAULT).score());
        }
    }

    @Test
    void eachSongOfABatchIsWhatItsOwnArrangementWrites() throws Exception {
        ArrangeOptions options = ArrangeOptions.DEFAULT.with(o -> o.seed(7));
        BatchArranger.Completed<byte[]> batch = new BatchArranger(models, 4).completeEach(songs, (arranger, song) -> midi(arranger, song, options));

        Arranger alone = new Arranger(models);
        List<Integer> bars = new ArrayList<>();
        List<String> meters = new ArrayList<>();
        for (int i = 0; i < songs.size(); i++) {
            Score arranged = arrange(alone, songs.get(i), options);
            bars.add(arranged.meter().barAt(arranged.endTick() - 1).number());
            meters.add(arranged.meter().timeSignatureAt(0).numerator() + "/" + arranged.meter().timeSignatureAt(0).denominator());
            assertArrayEquals(Scores.write(arranged, ScoreFormat.MIDI), batch.results().get(i), "song " + i);
        }
        assertTrue(bars.stream().distinct().count() >= 4, "songs of different lengths: " + bars);
        assertTrue(meters.stream().distinct().count() >= 3, "songs of different meters: " + meters);
        assertTrue(batch.modelBatches() * 2 < batch.modelCalls(), "the songs' calls were answered together: " + batch.modelCalls() + " calls in "
                + batch.modelBatches() + " batches");
    }

    @Test
    void oneSongAtATimeIsTheArrangerAloneWithNoSharedCall() throws Exception {
        BatchArranger.Completed<byte[]> batch = new BatchArranger(models, 1).completeEach(songs.subList(0, 2),
                (arranger, song) -> midi(arranger, song, ArrangeOptions.DEFAULT));

        assertEquals(2, batch.results().size());
        assertEquals(0, batch.modelCalls());
    }

    @Test
    void whateverASongThrowsIsThatSongsFailureAndTheOthersAreStillCompleted() throws Exception {
        List<Score> three = songs.subList(0, 3);
        for (int atOnce : new int[]{1, 3}) {
            StackOverflowError overflow = new StackOverflowError();
            BatchArranger.Completed<byte[]> batch = new BatchArranger(models, atOnce).completeEach(three, (arranger, song) -> {
                byte[] midi = midi(arranger, song, ArrangeOptions.DEFAULT); // its model calls are shared with the others' before it fails
                if (song == three.get(1)) throw overflow;
                if (song == three.get(2)) throw new IOException("disk full");
                return midi;
            });

            assertNotNull(batch.results().get(0), atOnce + " at once");
            assertNull(batch.failures().get(0), atOnce + " at once");
            assertSame(overflow, batch.failures().get(1), atOnce + " at once: an Error is the song's failure too");
            assertNull(batch.results().get(1), atOnce + " at once");
            assertEquals("disk full", batch.failures().get(2).getMessage(), atOnce + " at once");
        }
    }

    private static byte[] midi(Arranger arranger, Score song, ArrangeOptions options) throws IOException {
        return Scores.write(arrange(arranger, song, options), ScoreFormat.MIDI);
    }

    private static Score arrange(Arranger arranger, Score song, ArrangeOptions options) throws IOException {
        try {
            return arranger.arrange(song, options).score();
        } catch (ArrangeException e) {
            throw new IOException(e);
        }
    }
}
