package dev.merlai.cli;

import dev.merlai.music.io.ReadOptions;
import dev.merlai.music.io.ReadResult;
import dev.merlai.music.io.ScoreFormat;
import dev.merlai.music.io.ScoreReadException;
import dev.merlai.music.io.Scores;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "convert", mixinStandardHelpOptions = true,
        description = "Converts between MIDI, MusicXML and Merlai's JSON through the one score model (the output format follows OUT's extension).",
        exitCodeListHeading = Merlai.EXIT_HEADING, exitCodeList = {Merlai.EXIT_OK, Merlai.EXIT_BAD_INPUT, Merlai.EXIT_INTERNAL},
        footer = {"", "Example: merlai convert song.mxl -o song.json"})
final class ConvertCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "IN", description = "the input file")
    Path input;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", description = "the output file: .mid, .musicxml or .json")
    Path output;

    @Option(names = "--melody", paramLabel = "PART", description = "the track or part that holds the melody")
    String melodyPart;

    @Override
    public Integer call() throws IOException {
        try {
            ScoreFormat format = ScoreFormat.fromFileName(output.getFileName().toString());
            ReadResult read = Scores.read(input, ReadOptions.DEFAULT.withMelodyPart(melodyPart));
            Path parent = output.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            Files.write(output, Scores.write(read.score(), format));
            return 0;
        } catch (NoSuchFileException e) {
            return InputFailure.report(input.toString(), "no such file");
        } catch (ScoreReadException e) {
            return InputFailure.report(input.toString(), e.getMessage());
        }
    }
}
