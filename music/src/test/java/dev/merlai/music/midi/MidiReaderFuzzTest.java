package dev.merlai.music.midi;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.merlai.music.io.ReadLimits;
import dev.merlai.music.io.ReadOptions;
import dev.merlai.music.io.ScoreReadException;

/**
 * Any bytes given to {@link MidiReader} either read or fail with a {@link ScoreReadException}: no other exception,
 * no hang, no exhausted memory. Plain {@code mvn test} runs the seeds in {@code MidiReaderFuzzTestInputs/};
 * {@code JAZZER_FUZZ=1} fuzzes for 30 s. Small limits keep each run fast.
 */
class MidiReaderFuzzTest {

    private static final ReadOptions OPTIONS = new ReadOptions(new ReadLimits(1 << 16, 32, 5_000, 3600), null);

    @FuzzTest(maxDuration = "30s")
    void anyBytesReadOrFailCleanly(byte[] data) {
        try {
            new MidiReader().read(data, OPTIONS);
        } catch (ScoreReadException expected) {
            // bad input, reported as such
        }
    }
}
