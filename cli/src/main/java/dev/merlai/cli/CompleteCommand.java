package dev.merlai.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.merlai.arranger.ArrangeException;
import dev.merlai.arranger.ArrangeOptions;
import dev.merlai.arranger.Arrangement;
import dev.merlai.arranger.Arranger;
import dev.merlai.arranger.BarRange;
import dev.merlai.arranger.BatchArranger;
import dev.merlai.arranger.model.ArrangementModels;
import dev.merlai.music.ChordSheet;
import dev.merlai.music.io.ReadOptions;
import dev.merlai.music.io.ReadResult;
import dev.merlai.music.io.ScoreFormat;
import dev.merlai.music.io.ScoreReadException;
import dev.merlai.music.io.Scores;
import dev.merlai.render.AudioPreview;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

@Command(name = "complete", mixinStandardHelpOptions = true,
        description = {"Completes a melody: writes a Standard MIDI File with the melody kept note for note on a track named MELODY,",
                "the generated accompaniment (PIANO, BASS, COUNTER) on other channels than 10, and chord labels on a track named CHORDS.",
                "Reads .mid, .midi, .mxl, .musicxml, .xml and .json (Merlai's note format).",
                "Bars that already have accompaniment are kept; --bars regenerates only the bars given.",
                "Empty bars before the melody become an intro (--intro N makes room for one); the song ends with an ending (--no-ending for loops).",
                "Chord labels in the input (and --chords) are kept where given; the chord model fills the other beats."},
        exitCodeListHeading = Merlai.EXIT_HEADING, exitCodeList = {Merlai.EXIT_OK, Merlai.EXIT_BAD_INPUT, Merlai.EXIT_INTERNAL},
        footer = {"", "Example: merlai complete examples/ode-to-joy.json -o out/ode-to-joy.mid --seed 7 --style pop"})
final class CompleteCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "IN", description = {"the melody file; several are completed in one run, models loaded once,",
            "each into the folder OUT as <name>.mid; a file that fails is reported and the others still completed"})
    List<Path> inputs;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", description = "where to write the arrangement (.mid; .json or .musicxml also work); a folder for several IN")
    Path output;

    @Mixin
    ArrangementChoices choices;

    @Option(names = "--bars", paramLabel = "A-B", description = "regenerate only bars A to B (1-based, inclusive; 0 is a pickup) and keep the rest")
    String bars;

    @Option(names = "--reharmonize", paramLabel = "A-B", description = "choose other chords than the model's first choice for bars A to B only (seeded by --seed)")
    String reharmonize;

    @Option(names = "--alternatives", paramLabel = "FILE", description = "also write, per 8-bar phrase, the chosen progression and the two next-best with their probabilities (JSON)")
    Path alternatives;

    @Option(names = "--variation", paramLabel = "0..1", description = "where the melody repeats a bar: 0 repeats its accompaniment exactly, 1 invents it anew each time (default: what POP909's arrangers do)")
    Double variation;

    @Option(names = "--intro", paramLabel = "N", defaultValue = "0", description = "play N bars of intro before the melody, moving the whole song N bars later (default: ${DEFAULT-VALUE}: the melody stays where it is; empty bars before it are filled anyway)")
    int intro;

    @Option(names = "--no-ending", negatable = false, description = "stop with the melody instead of ending with a cadence and a held final chord (for loops)")
    boolean noEnding;

    @Option(names = "--melody", paramLabel = "PART", description = "the track (name or 1-based number) or MusicXML part (id or name) that holds the melody; found automatically if not given")
    String melodyPart;

    @Option(names = "--threads", defaultValue = "2", description = "ONNX Runtime threads (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--stems", paramLabel = "DIR", description = "also write one WAV per track into DIR (<track>.wav; same length as the mix and adding up to it; needs a General MIDI SoundFont: timgm6mb-soundfont, or set MERLAI_SOUNDFONT)")
    Path stems;

    @Option(names = "--songs-at-once", paramLabel = "N", defaultValue = "8", description = {"with several IN: complete N songs side by side, their drum and dynamics",
            "model calls answered together in one batch (each song as it is completed alone); 1 = one after another (default: ${DEFAULT-VALUE})"})
    int songsAtOnce;

    @Option(names = {"-v", "--verbose"}, description = "print what was decided (melody track, meter, key, form, intro, ending, bars, timing) on stderr")
    boolean verbose;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public Integer call() throws IOException, InterruptedException {
        ArrangeOptions options;
        ScoreFormat outputFormat;
        try {
            options = choices.options().bars(bars == null ? null : BarRange.parse(bars)).variation(variation).intro(intro).ending(!noEnding).build();
        } catch (IllegalArgumentException e) {
            return InputFailure.report("options", e.getMessage());
        }
        try {
            ChordSheet given = choices.givenChords();
            options = options.with(o -> o.chords(given));
        } catch (IllegalArgumentException | IOException e) {
            return InputFailure.report(choices.chordsSource(), e instanceof NoSuchFileException ? "no such file" : e.getMessage());
        }
        try {
            if (reharmonize != null) options = options.with(o -> o.reharmonize(BarRange.parse(reharmonize)));
        } catch (IllegalArgumentException e) {
            return InputFailure.report("--reharmonize", e.getMessage());
        }
        boolean batch = inputs.size() > 1;
        if (batch && (alternatives != null || stems != null)) {
            return InputFailure.report("options", "--alternatives and --stems take one melody at a time");
        }
        if (songsAtOnce < 1) return InputFailure.report("--songs-at-once", "must be at least 1, not " + songsAtOnce);
        try {
            outputFormat = batch ? ScoreFormat.MIDI : ScoreFormat.fromFileName(output.getFileName().toString());
        } catch (IllegalArgumentException | ScoreReadException e) {
            return InputFailure.report("options", e.getMessage());
        }
        if (choices.modelDirProblem() != null) return InputFailure.report(choices.modelDir().toString(), choices.modelDirProblem());
        try (ArrangementModels loaded = choices.loadModels(threads)) {
            if (!batch) return complete(new Arranger(loaded), inputs.get(0), output, outputFormat, options);
            Files.createDirectories(output);
            Set<String> names = new HashSet<>();
            List<Integer> exits = new ArrayList<>();
            List<Path> unique = new ArrayList<>();
            for (Path input : inputs) {
                if (names.add(songName(input))) unique.add(input);
                else exits.add(InputFailure.report(input.toString(), "another melody of this batch is also named " + songName(input) + "; its result would be overwritten"));
            }
            ArrangeOptions batchOptions = options;
            BatchArranger.Completed<Integer> completed = new BatchArranger(loaded, songsAtOnce).completeEach(unique,
                    (songArranger, input) -> complete(songArranger, input, output.resolve(songName(input) + ".mid"), outputFormat, batchOptions));
            for (int i = 0; i < unique.size(); i++) {
                Throwable failure = completed.failures().get(i);
                exits.add(failure == null ? completed.results().get(i) : internalFailure(unique.get(i), failure));
            }
            long failed = exits.stream().filter(exit -> exit != 0).count();
            if (failed > 0) System.err.printf("merlai: %d of %d melodies failed; the others are in %s%n", failed, inputs.size(), output);
            if (verbose) System.err.printf("batch: %d songs at once; %d drum and dynamics model calls answered in %d batched calls%n",
                    Math.min(songsAtOnce, unique.size()), completed.modelCalls(), completed.modelBatches());
            return exits.stream().max(Integer::compare).orElse(0);
        }
    }

    /** One melody of several that failed inside (even with an {@link Error}): reported as that melody's, and the batch went on. */
    private static int internalFailure(Path input, Throwable failure) {
        System.err.println("merlai: " + input + ": internal error: " + failure);
        return Merlai.INTERNAL_ERROR;
    }

    /** Completes one melody into {@code output}; a failure the user can fix is reported on stderr and returned as an exit code. */
    private int complete(Arranger arranger, Path input, Path output, ScoreFormat outputFormat, ArrangeOptions options) throws IOException {
        ReadResult read;
        try {
            read = Scores.read(input, ReadOptions.DEFAULT.withMelodyPart(melodyPart));
        } catch (NoSuchFileException e) {
            return InputFailure.report(input.toString(), "no such file");
        } catch (ScoreReadException e) {
            return InputFailure.report(input.toString(), e.getMessage());
        }
        Arrangement arrangement;
        try {
            arrangement = arranger.arrange(read.score(), options);
        } catch (ArrangeException e) {
            return InputFailure.report(input.toString(), e.getMessage());
        }
        Path parent = output.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        Files.write(output, Scores.write(arrangement.score(), outputFormat));
        if (alternatives != null) {
            Path folder = alternatives.toAbsolutePath().getParent();
            if (folder != null) Files.createDirectories(folder);
            Files.write(alternatives, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(arrangement.spelledChordChoices()));
        }
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
            // one print per song, naming it in a batch: a batch's songs are completed side by side, and their reports must not interleave
            List<String> report = new ArrayList<>();
            if (inputs.size() > 1) report.add("song: " + input);
            report.addAll(List.of("melody: " + read.melodyChoice(), "meter: " + arrangement.meter(), "key: " + arrangement.key(),
                    "form: " + arrangement.form(), "intro: " + arrangement.intro(), "ending: " + arrangement.ending(),
                    "generated bars: " + barsInWords(arrangement.generatedBars()), "models: " + arrangement.modelVersion() + ", " + arrangement.millis() + " ms"));
            System.err.print(String.join(System.lineSeparator(), report) + System.lineSeparator());
        }
        return 0;
    }

    /** The output name of one melody of a batch: its file name without the extension. */
    static String songName(Path input) {
        String name = input.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /** The arranger's bar list for a reader: bar 0 is the pickup ("0" alone reads as nothing), "none" says why. */
    static String barsInWords(String bars) {
        if (bars.equals("none")) return "none (every bar has accompaniment already; --bars regenerates bars)";
        return bars.replaceFirst("^0-(\\d+)", "the pickup and 1-$1").replaceFirst("^0(?=,|$)", "the pickup");
    }
}
