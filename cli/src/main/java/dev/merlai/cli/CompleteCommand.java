package dev.merlai.cli;

import dev.merlai.arranger.ArrangeException;
import dev.merlai.arranger.ArrangeOptions;
import dev.merlai.arranger.Arrangement;
import dev.merlai.arranger.Arranger;
import dev.merlai.arranger.BarRange;
import dev.merlai.arranger.Style;
import dev.merlai.arranger.model.ArrangementModels;
import dev.merlai.music.io.ReadOptions;
import dev.merlai.music.io.ReadResult;
import dev.merlai.music.io.ScoreFormat;
import dev.merlai.music.io.ScoreReadException;
import dev.merlai.music.io.Scores;
import dev.merlai.render.AudioPreview;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "complete", mixinStandardHelpOptions = true,
        description = {"Completes a melody: writes a Standard MIDI File with the melody kept note for note on a track named MELODY,",
                "the generated accompaniment (PIANO, BASS, COUNTER) on other channels than 10, and chord labels on a track named CHORDS.",
                "Reads .mid, .midi, .mxl, .musicxml, .xml and .json (Merlai's note format).",
                "Bars that already have accompaniment are kept; --bars regenerates only the bars given."},
        exitCodeListHeading = Merlai.EXIT_HEADING, exitCodeList = {Merlai.EXIT_OK, Merlai.EXIT_BAD_INPUT, Merlai.EXIT_INTERNAL},
        footer = {"", "Example: merlai complete examples/ode-to-joy.json -o out/ode-to-joy.mid --seed 7 --style pop"})
final class CompleteCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "IN", description = "the melody file")
    Path input;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", description = "where to write the arrangement (.mid; .json or .musicxml also work)")
    Path output;

    @Option(names = "--seed", defaultValue = "1", description = "random seed; the same input, options and seed give the same output (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--style", defaultValue = "pop", description = "pop (POP909-like) or lied (19th-century art song) (default: ${DEFAULT-VALUE})")
    String style;

    @Option(names = "--bars", paramLabel = "A-B", description = "regenerate only bars A to B (1-based, inclusive; 0 is a pickup) and keep the rest")
    String bars;

    @Option(names = "--temperature", defaultValue = "1.0", description = "variation, 0.1 (safe) .. 2 (adventurous) (default: ${DEFAULT-VALUE})")
    double temperature;

    @Option(names = "--density", defaultValue = "0.5", description = "0 (sparse) .. 1 (busy); 0.5 is the style's usual density (default: ${DEFAULT-VALUE})")
    double density;

    @Option(names = "--drums", paramLabel = "STYLE", description = "drums: none, or a style the drum model knows (pop, rock, funk, hiphop, jazz, latin, afrocuban, punk, neworleans, soul, country, gospel, reggae, afrobeat, dance, other); default: pop for --style pop, none for lied")
    String drums;

    @Option(names = "--melody", paramLabel = "PART", description = "the track (name or 1-based number) or MusicXML part (id or name) that holds the melody; found automatically if not given")
    String melodyPart;

    @Option(names = "--models", paramLabel = "DIR", description = "load the models from this directory instead of the shipped ones (env MERLAI_MODELS)")
    Path models;

    @Option(names = "--threads", defaultValue = "2", description = "ONNX Runtime threads (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--stems", paramLabel = "DIR", description = "also write one WAV per track into DIR (<track>.wav; same length as the mix and adding up to it; needs a General MIDI SoundFont: timgm6mb-soundfont, or set MERLAI_SOUNDFONT)")
    Path stems;

    @Option(names = {"-v", "--verbose"}, description = "print what was decided (melody track, meter, key, bars, timing) on stderr")
    boolean verbose;

    @Override
    public Integer call() throws IOException {
        ArrangeOptions options;
        ScoreFormat outputFormat;
        try {
            options = new ArrangeOptions(seed, Style.fromId(style), bars == null ? null : BarRange.parse(bars), temperature, density, drums);
            outputFormat = ScoreFormat.fromFileName(output.getFileName().toString());
        } catch (IllegalArgumentException | ScoreReadException e) {
            return InputFailure.report("options", e.getMessage());
        }
        ReadResult read;
        try {
            read = Scores.read(input, ReadOptions.DEFAULT.withMelodyPart(melodyPart));
        } catch (NoSuchFileException e) {
            return InputFailure.report(input.toString(), "no such file");
        } catch (ScoreReadException e) {
            return InputFailure.report(input.toString(), e.getMessage());
        }
        Path modelDir = models != null ? models : System.getenv("MERLAI_MODELS") == null ? null : Path.of(System.getenv("MERLAI_MODELS"));
        if (modelDir != null && !Files.isRegularFile(modelDir.resolve(ArrangementModels.CHORDS + ".json"))) {
            return InputFailure.report(modelDir.toString(), "no models here: a models folder holds merlai-chords.onnx/.json, merlai-texture.onnx/.json and "
                    + "merlai-downbeat.onnx/.json (the shipped models/, or a personalised model copied from tenants/<tenant>/models/<model>/)");
        }
        Arrangement arrangement;
        try (ArrangementModels loaded = modelDir == null ? ArrangementModels.loadShipped(threads) : ArrangementModels.load(modelDir, threads)) {
            arrangement = new Arranger(loaded).arrange(read.score(), options);
        } catch (ArrangeException e) {
            return InputFailure.report(input.toString(), e.getMessage());
        }
        Path parent = output.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        Files.write(output, Scores.write(arrangement.score(), outputFormat));
        if (stems != null) {
            AudioPreview audio;
            try {
                audio = new AudioPreview(AudioPreview.soundFontPath());
            } catch (IOException e) {
                return InputFailure.report("--stems", e.getMessage());
            }
            Files.createDirectories(stems);
            for (AudioPreview.Stem stem : audio.stems(arrangement.score())) Files.write(stems.resolve(stem.name()), stem.wav());
        }
        if (verbose) {
            System.err.println("melody: " + read.melodyChoice());
            System.err.println("meter: " + arrangement.meter());
            System.err.println("key: " + arrangement.key());
            System.err.println("generated bars: " + barsInWords(arrangement.generatedBars()));
            System.err.println("models: " + arrangement.modelVersion() + ", " + arrangement.millis() + " ms");
        }
        return 0;
    }

    /** The arranger's bar list for a reader: bar 0 is the pickup ("0" alone reads as nothing), "none" says why. */
    static String barsInWords(String bars) {
        if (bars.equals("none")) return "none (every bar has accompaniment already; --bars regenerates bars)";
        return bars.replaceFirst("^0-(\\d+)", "the pickup and 1-$1").replaceFirst("^0(?=,|$)", "the pickup");
    }
}
