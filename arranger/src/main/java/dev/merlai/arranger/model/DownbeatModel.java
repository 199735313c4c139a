package dev.merlai.arranger.model;

import ai.djl.repository.zoo.ZooModel;
import dev.merlai.arranger.grid.MeterInference;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The trained downbeat model alone ({@code merlai-downbeat.onnx}): per 16th step of a melody, log P(downbeat),
 * log P(other beat), log P(between beats). Lays the bar lines when a file's are wrong ({@link MeterInference}); also
 * loaded on its own where only bar lines are needed (checking a training set).
 */
public final class DownbeatModel implements MeterInference.BeatClassifier, AutoCloseable {

    private final ZooModel<DownbeatTranslator.Melody, float[][]> model;

    DownbeatModel(ZooModel<DownbeatTranslator.Melody, float[][]> model) {
        this.model = model;
    }

    /** The downbeat model shipped in this jar, on the CPU with one thread. */
    public static DownbeatModel loadShipped() throws IOException {
        Path dir = ArrangementModels.unpackShipped(List.of(ArrangementModels.DOWNBEAT));
        return load(dir, 1, false, new ArrayList<>());
    }

    static DownbeatModel load(Path dir, int threads, boolean gpu, List<AutoCloseable> opened) throws IOException {
        return new DownbeatModel(ArrangementModels.open(dir.resolve(ArrangementModels.DOWNBEAT + ".onnx"), new DownbeatTranslator(),
                threads, gpu, opened));
    }

    @Override
    public float[][] classify(long[] melodyPitch, float[] melodyOnset) {
        return ArrangementModels.predictOnce(model, new DownbeatTranslator.Melody(melodyPitch, melodyOnset), "downbeat");
    }

    @Override
    public void close() {
        model.close();
    }
}
