package dev.merlai.music.json;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.merlai.music.io.ReadLimits;
import dev.merlai.music.io.ReadOptions;
import dev.merlai.music.io.ScoreReadException;

/**
 * Any bytes given to {@link JsonScoreReader} either read or fail with a {@link ScoreReadException}: no other
 * exception. Plain {@code mvn test} runs the seeds in {@code JsonScoreReaderFuzzTestInputs/};
 * {@code JAZZER_FUZZ=1} fuzzes for 30 s.
 */
class JsonScoreReaderFuzzTest {

    private static final ReadOptions OPTIONS = new ReadOptions(new ReadLimits(1 << 16, 32, 5_000, 3600), null);

    @FuzzTest(maxDuration = "30s")
    void anyBytesReadOrFailCleanly(byte[] data) {
        try {
            new JsonScoreReader().read(data, OPTIONS);
        } catch (ScoreReadException expected) {
            // bad input, reported as such
        }
    }
}
