package dev.merlai.music.musicxml;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.merlai.music.io.ReadLimits;
import dev.merlai.music.io.ReadOptions;
import dev.merlai.music.io.ScoreReadException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Any input given to {@link MusicXmlReader} either reads or fails with a {@link ScoreReadException}: no other
 * exception, no hang, no exhausted memory. Plain {@code mvn test} runs the seeds in
 * {@code MusicXmlReaderFuzzTestInputs/}; {@code JAZZER_FUZZ=1} fuzzes for 30 s.
 *
 * <p>The first byte picks what the rest becomes, so the fuzzer reaches past the XML parser: {@code z} puts the
 * rest in a {@code .mxl} zip (with its container.xml), {@code m} puts it inside the first measure of a
 * one-part score; any other input (a raw {@code .mxl} starting with {@code PK}, or XML) is read as it is.
 * Small limits keep each run fast.
 */
class MusicXmlReaderFuzzTest {

    private static final ReadOptions OPTIONS = new ReadOptions(new ReadLimits(1 << 16, 16, 5_000, 3600), null);
    private static final String CONTAINER = "<?xml version=\"1.0\"?><container><rootfiles><rootfile full-path=\"score.xml\"/></rootfiles></container>";
    private static final String HEAD = "<score-partwise version=\"4.0\"><part-list><score-part id=\"P1\"><part-name>Voice</part-name>"
            + "</score-part><score-part id=\"P2\"><part-name>Piano</part-name></score-part></part-list><part id=\"P1\"><measure number=\"1\">"
            + "<attributes><divisions>4</divisions><time><beats>3</beats><beat-type>4</beat-type></time></attributes>";
    private static final String TAIL = "</measure></part><part id=\"P2\"><measure number=\"1\"><attributes><staves>2</staves></attributes>"
            + "<note><pitch><step>C</step><octave>3</octave></pitch><duration>1</duration></note></measure></part></score-partwise>";

    @FuzzTest(maxDuration = "30s")
    void anyInputReadsOrFailsCleanly(byte[] data) {
        try {
            new MusicXmlReader().read(input(data), OPTIONS);
        } catch (ScoreReadException expected) {
            // bad input, reported as such
        }
    }

    static byte[] input(byte[] data) {
        if (data.length == 0) return data;
        byte[] rest = Arrays.copyOfRange(data, 1, data.length);
        return switch (data[0]) {
            case 'z' -> zip(rest);
            case 'm' -> concat(HEAD.getBytes(StandardCharsets.UTF_8), rest, TAIL.getBytes(StandardCharsets.UTF_8));
            default -> data;
        };
    }

    private static byte[] zip(byte[] score) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("META-INF/container.xml"));
            zip.write(CONTAINER.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("score.xml"));
            zip.write(score);
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (byte[] part : parts) bytes.writeBytes(part);
        return bytes.toByteArray();
    }
}
