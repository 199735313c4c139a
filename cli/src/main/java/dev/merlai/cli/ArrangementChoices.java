package dev.merlai.cli;

import dev.merlai.arranger.ArrangeOptions;
import dev.merlai.arranger.Style;
import dev.merlai.arranger.model.ArrangementModels;
import dev.merlai.music.ChordSheet;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The options that shape an arrangement, the same for {@code merlai complete} and {@code merlai live} (a picocli
 * mixin): seed, style, variation, density, drums, feel, the given chords and the models.
 */
final class ArrangementChoices {

    @Option(names = "--seed", defaultValue = "1", description = "random seed; the same input, options and seed give the same output (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--style", defaultValue = "pop", description = "pop (POP909-like) or lied (19th-century art song) (default: ${DEFAULT-VALUE})")
    String style;

    @Option(names = "--chords", paramLabel = "SPEC", description = {"chords for some bars, kept exactly; the model fills the other bars to join them:",
            "'1-8: C G Am F | 17: F' (one chord per bar, repeated over the range; C,G splits a bar; Harte or common names, N.C. for none).",
            "Over the input's own chord labels in those bars"})
    String chords;

    @Option(names = "--chords-file", paramLabel = "FILE", description = "the same as --chords, read from a file (one section per line, # comments)")
    Path chordsFile;

    @Option(names = "--temperature", defaultValue = "1.0", description = "variation, 0.1 (safe) .. 2 (adventurous) (default: ${DEFAULT-VALUE})")
    double temperature;

    @Option(names = "--density", defaultValue = "0.5", description = "0 (sparse) .. 1 (busy); 0.5 is the style's usual density (default: ${DEFAULT-VALUE})")
    double density;

    @Option(names = "--drums", paramLabel = "STYLE", description = "drums: none, or a style the drum model knows (pop, rock, funk, hiphop, jazz, latin, afrocuban, punk, neworleans, soul, country, gospel, reggae, afrobeat, dance, other); default: pop for --style pop, none for lied")
    String drums;

    @Option(names = "--humanize", paramLabel = "AMOUNT", defaultValue = "1", description = "0..1: the generated parts' feel, velocities and micro-timing as learned from POP909's players; 0 = on the 16th grid at even velocities (to quantize in a DAW), 1 = as the players play (default: ${DEFAULT-VALUE})")
    double humanize;

    @Option(names = "--models", paramLabel = "DIR", description = "load the models from this directory instead of the shipped ones (env MERLAI_MODELS)")
    Path models;

    /** The options chosen here; the caller adds its own (bars, intro, ...). Throws on a value out of range. */
    ArrangeOptions.Builder options() {
        return new ArrangeOptions.Builder().seed(seed).style(Style.fromId(style)).temperature(temperature).density(density).drums(drums).humanize(humanize);
    }

    /** The chords given with --chords or --chords-file (none when neither). */
    ChordSheet givenChords() throws IOException {
        if (chords != null && chordsFile != null) throw new IllegalArgumentException("give --chords or --chords-file, not both");
        return chords != null ? ChordSheet.parse(chords) : chordsFile != null ? ChordSheet.parse(Files.readString(chordsFile)) : ChordSheet.EMPTY;
    }

    /** Where the chords came from, for an error about them. */
    String chordsSource() {
        return chordsFile != null ? chordsFile.toString() : "--chords";
    }

    /** The models folder chosen with --models or MERLAI_MODELS; null for the shipped models. */
    Path modelDir() {
        return models != null ? models : System.getenv("MERLAI_MODELS") == null ? null : Path.of(System.getenv("MERLAI_MODELS"));
    }

    /** Why the chosen models folder cannot be used, or null when it can (or none was chosen). */
    String modelDirProblem() {
        Path dir = modelDir();
        if (dir == null || Files.isRegularFile(dir.resolve(ArrangementModels.CHORDS + ".json"))) return null;
        return "no models here: a models folder holds merlai-chords.onnx/.json, merlai-texture.onnx/.json and "
                + "merlai-downbeat.onnx/.json (the shipped models/, or a personalised model copied from tenants/<tenant>/models/<model>/)";
    }

    /** The chosen models (or the shipped ones), for {@code threads} ONNX Runtime threads. */
    ArrangementModels loadModels(int threads) throws IOException {
        Path dir = modelDir();
        return dir == null ? ArrangementModels.loadShipped(threads) : ArrangementModels.load(dir, threads);
    }
}
