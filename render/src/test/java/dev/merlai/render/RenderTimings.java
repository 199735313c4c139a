package dev.merlai.render;

import dev.merlai.music.Chord;
import dev.merlai.music.ChordSpan;
import dev.merlai.music.Score;
import dev.merlai.music.io.ReadOptions;
import dev.merlai.music.midi.MidiReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The figures in render/README.md: SoundFont load time and render time of a POP909 song, median of 3 each after
 * one untimed warm-up.
 * Runs only on request: {@code ./mvnw -B -q -pl render test -Dtest=RenderTimings -Dmerlai.render.timings=true}.
 * Writes the song's WAV and PNG (with the song's chord labels) to {@code render/target/timings/} for listening and looking.
 */
@EnabledIfSystemProperty(named = "merlai.render.timings", matches = "true")
class RenderTimings {

    private static final int RUNS = 3;

    interface Step {
        Object run() throws Exception;
    }

    /** Median wall-clock and median CPU seconds of this thread (Gervill renders on the reading thread). */
    private static String median(Step step) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double[] wall = new double[RUNS], cpu = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            long start = System.nanoTime(), startCpu = threads.getCurrentThreadCpuTime();
            step.run();
            wall[i] = (System.nanoTime() - start) / 1e9;
            cpu[i] = (threads.getCurrentThreadCpuTime() - startCpu) / 1e9;
        }
        Arrays.sort(wall);
        Arrays.sort(cpu);
        return String.format("%.2f s (CPU %.2f s)", wall[RUNS / 2], cpu[RUNS / 2]);
    }

    /** The song with POP909's chord labels ({@code start-seconds end-seconds Harte-label} per line), when the file is there. */
    private static Score withChords(Score score, Path labels) throws IOException {
        if (!Files.isRegularFile(labels)) return score;
        List<ChordSpan> chords = new ArrayList<>();
        long previousEnd = 0;
        for (String line : Files.readAllLines(labels)) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length != 3) continue;
            long onset = Math.max(previousEnd, score.tempo().tick(Double.parseDouble(fields[0])));
            long end = score.tempo().tick(Double.parseDouble(fields[1]));
            if (end <= onset) continue;
            try {
                chords.add(new ChordSpan(onset, end - onset, Chord.parse(fields[2])));
                previousEnd = end;
            } catch (IllegalArgumentException unparsable) {
                // a label Chord does not know is left out, as MidiReader does
            }
        }
        return score.withChords(chords);
    }

    @Test
    void measure() throws Exception {
        Path song = Path.of(System.getProperty("merlai.repo.root", ".."), "..", "shared", "data", "pop909", "001", "001.mid").normalize();
        if (!Files.isRegularFile(song)) song = Path.of("/work/shared/data/pop909/001/001.mid");
        assumeTrue(Files.isRegularFile(song), "no POP909 song at " + song);
        Score score = withChords(new MidiReader().read(Files.readAllBytes(song), ReadOptions.DEFAULT).score(),
                song.resolveSibling("chord_midi.txt"));
        Path out = Path.of("target", "timings");
        Files.createDirectories(out);
        System.out.printf("song %s: %.1f s, %d tracks, %d notes%n", song, score.durationSeconds(), score.tracks().size(), score.noteCount());
        for (Path soundFont : new Path[] {Path.of("/usr/share/sounds/sf2/TimGM6mb.sf2"), Path.of("/usr/share/sounds/sf2/FluidR3_GM.sf2")}) {
            if (!Files.isRegularFile(soundFont)) continue;
            AudioPreview preview = new AudioPreview(soundFont);
            preview.wav(score); // warm-up: class loading and JIT, not measured
            String load = median(() -> new AudioPreview(soundFont));
            String render = median(() -> preview.wav(score));
            byte[] wav = preview.wav(score);
            Files.write(out.resolve(soundFont.getFileName() + ".wav"), wav);
            System.out.printf("%s: load %s, render %s, WAV %.1f MB%n", soundFont.getFileName(), load, render, wav.length / 1e6);
        }
        PianoRoll roll = new PianoRoll();
        roll.png(score); // warm-up
        String draw = median(() -> roll.png(score));
        byte[] png = roll.png(score);
        Files.write(out.resolve("001.png"), png);
        System.out.printf("piano roll: %s, PNG %d kB%n", draw, png.length / 1000);
    }
}
