package dev.merlai.cli;

import dev.merlai.arranger.ArrangeOptions;
import dev.merlai.arranger.Arranger;
import dev.merlai.arranger.model.ArrangementModels;
import dev.merlai.music.Score;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Times the arranger the way a warm function uses it: model load once, then repeated completions of
 * real melodies (POP909 validation songs stripped to their melody) of about 64 and 100 bars. Prints median
 * and spread per song, the model load time, the peak resident memory of the process and the machine.
 * Run by {@code benchmarks/arranger.sh}; a fourth argument {@code --smoke} times the ~64-bar song once, without
 * warm-up, to check in seconds that the benchmark still runs.
 */
public final class ArrangerBenchmark {

    private static final int WARMUP = 5;
    private static final int RUNS = 20;

    private ArrangerBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args.length > 0 ? args[0] : "../shared/data");
        Path validation = Path.of(args.length > 1 ? args[1] : "training/split/pop909-validation.txt");
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        boolean smoke = args.length > 3 && args[3].equals("--smoke");
        int warmup = smoke ? 0 : WARMUP;
        int runs = smoke ? 1 : RUNS;

        long started = System.nanoTime();
        ArrangementModels models = ArrangementModels.loadShipped(threads);
        double loadMillis = (System.nanoTime() - started) / 1e6;
        Arranger arranger = new Arranger(models);

        System.out.printf("machine: %s, %d cores, Java %s, ONNX Runtime threads %d%n", cpuModel(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), threads);
        System.out.printf("model load (every shipped model, first in process): %.0f ms%n", loadMillis);
        for (int targetBars : smoke ? new int[]{64} : new int[]{64, 100}) {
            Score song = nearest(data, validation, targetBars);
            int bars = (int) Math.round(song.endTick() / (4.0 * Score.TICKS_PER_QUARTER));
            for (int i = 0; i < warmup; i++) arranger.arrange(song, seeded(i));
            double[] millis = new double[runs];
            for (int i = 0; i < runs; i++) {
                long t0 = System.nanoTime();
                arranger.arrange(song, seeded(100 + i));
                millis[i] = (System.nanoTime() - t0) / 1e6;
            }
            Arrays.sort(millis);
            System.out.printf("%d-bar song (%d melody notes): median %.0f ms, p10 %.0f, p90 %.0f, min %.0f, max %.0f over %d warm runs%n",
                    bars, song.melody().orElseThrow().notes().size(), millis[runs / 2], millis[runs / 10], millis[runs * 9 / 10],
                    millis[0], millis[runs - 1], runs);
        }
        System.out.printf("peak resident memory of this process: %s%n", peakRss());
        models.close();
    }

    private static ArrangeOptions seeded(long seed) {
        return ArrangeOptions.DEFAULT.with(o -> o.seed(seed));
    }

    /** The validation melody whose length is closest to the target number of bars. */
    private static Score nearest(Path data, Path validation, int targetBars) throws Exception {
        Score best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (Score melody : ValidationMelodies.load(data, validation, Integer.MAX_VALUE)) {
            // POP909 files say 1/4: count bars of 4/4 from the song's length.
            int bars = (int) Math.round(melody.endTick() / (4.0 * Score.TICKS_PER_QUARTER));
            if (Math.abs(bars - targetBars) < bestDistance) {
                bestDistance = Math.abs(bars - targetBars);
                best = melody;
            }
        }
        return best;
    }

    private static String cpuModel() throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(Path.of("/proc/cpuinfo")));
        return lines.stream().filter(l -> l.startsWith("model name")).findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
    }

    private static String peakRss() throws Exception {
        return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM"))
                .findFirst().map(l -> l.substring(6).trim()).orElse("unknown");
    }
}
