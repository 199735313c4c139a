package dev.merlai.music.io;

import dev.merlai.music.Score;
import dev.merlai.music.json.JsonScoreReader;
import dev.merlai.music.json.ScoreJson;
import dev.merlai.music.midi.MidiReader;
import dev.merlai.music.midi.MidiWriter;
import dev.merlai.music.musicxml.MusicXmlReader;
import dev.merlai.music.musicxml.MusicXmlWriter;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** One door to every reader and writer: pick the format by file name or content. */
public final class Scores {

    private Scores() {
    }

    public static ScoreReader reader(ScoreFormat format) {
        return switch (format) {
            case MIDI -> new MidiReader();
            case MUSICXML -> new MusicXmlReader();
            case JSON -> new JsonScoreReader();
        };
    }

    /** Reads bytes whose format is told by the file name when it has a known extension, else by the content. */
    public static ReadResult read(byte[] data, String fileName, ReadOptions options) throws ScoreReadException {
        options.limits().checkBytes(data.length);
        if (data.length == 0) throw new ScoreReadException(ScoreReadException.Kind.CORRUPT, "byte 0", "the input is empty");
        ScoreFormat format;
        try {
            format = ScoreFormat.fromFileName(fileName == null ? "" : fileName);
        } catch (ScoreReadException unknownExtension) {
            format = ScoreFormat.sniff(data);
        }
        return reader(format).read(data, options);
    }

    /** Reads a file, refusing it before reading when it is larger than the limit. */
    public static ReadResult read(Path file, ReadOptions options) throws ScoreReadException, IOException {
        options.limits().checkBytes(Files.size(file));
        try (InputStream in = Files.newInputStream(file)) {
            return read(in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, options.limits().maxBytes() + 1)), file.getFileName().toString(), options);
        }
    }

    public static byte[] write(Score score, ScoreFormat format) {
        return switch (format) {
            case MIDI -> new MidiWriter().write(score);
            case MUSICXML -> new MusicXmlWriter().write(score);
            case JSON -> ScoreJson.write(score);
        };
    }
}
