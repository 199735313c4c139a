package dev.merlai.arranger;

import dev.merlai.arranger.model.ArrangementModels;
import dev.merlai.music.Score;
import dev.merlai.music.io.ReadOptions;
import dev.merlai.music.midi.MidiReader;
import dev.merlai.music.midi.MidiWriter;
import dev.merlai.music.musicxml.MusicXmlWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Merlai's arrangement of POP909 song 771 (played-in, D-flat major, its file says C major, first downbeat at
 * tick 285) as notation programs see it: MuseScore 3 ({@code mscore3}, headless) and music21, both installed by
 * {@code scripts/install-packages}. Needs the shared data ({@code -Dmerlai.data=/work/shared/data}, or
 * {@code ../shared/data} beside the repository).
 */
class NotationProgramsTest {

    private static ArrangementModels models;
    private static Score arranged;

    @BeforeAll
    static void arrange771() throws Exception {
        models = ArrangementModels.loadShipped(2);
        Path song = Examples.dataDir().resolve("pop909/771/771.mid");
        Score input = new MidiReader().read(Files.readAllBytes(song), ReadOptions.DEFAULT).score();
        arranged = new Arranger(models).arrange(input, ArrangeOptions.DEFAULT).score();
    }

    @AfterAll
    static void closeModels() {
        models.close();
    }

    @Test
    void museScoreOpensTheMidiWithChordMarkersNotLyricsAndBarsOnTheInferredDownbeat(@TempDir Path dir) throws Exception {
        Path midi = dir.resolve("arrangement.mid");
        Files.write(midi, new MidiWriter().write(arranged));
        String mscx = museScore(midi, dir.resolve("from-midi.mscx"));
        assertFalse(mscx.contains("<Lyrics>"), "no chord label became a lyric");
        for (String name : List.of("MELODY", "PIANO", "BASS")) assertTrue(mscx.contains(", " + name + "</trackName>"), name);
        assertFalse(mscx.contains("CHORDS</trackName>"), "the chord track has no staff");
        assertTrue(mscx.contains("<Measure len=\"19/128\">"), "a pickup of 285 ticks: the bar lines sit on the downbeat");
    }

    @Test
    void theMusicXmlIsAReadableScoreInTheKeyOfTheMusic(@TempDir Path dir) throws Exception {
        Path xml = dir.resolve("arrangement.musicxml");
        Files.write(xml, new MusicXmlWriter().write(arranged));
        museScore(xml, dir.resolve("from-musicxml.mscx"));

        String script = String.join("\n",
                "import sys, music21",
                "s = music21.converter.parse(sys.argv[1])",
                "figures = [c.root().name for c in s.recurse().getElementsByClass(music21.harmony.ChordSymbol)]",
                "keys = [k.sharps for k in s.recurse().getElementsByClass(music21.key.KeySignature)]",
                "staves = len([p for p in s.parts if isinstance(p, music21.stream.PartStaff)])",
                "ties = len([n for n in s.recurse().notes if n.tie is not None])",
                "print(len(figures), sum('#' in f for f in figures), sum('-' in f for f in figures), keys[0], staves, ties)");
        // music21 may warn before it answers (matplotlib is an optional package it goes without): the answer is the last line.
        String output = run(List.of("/usr/bin/python3", "-c", script, xml.toString()), dir).trim();
        String[] answer = output.substring(output.lastIndexOf('\n') + 1).trim().split("\\s+");
        int chords = Integer.parseInt(answer[0]);
        assertTrue(chords > 50, "music21 reads the chord symbols: " + chords);
        assertEquals("0", answer[1], "no chord root spelled with a sharp in D-flat major");
        assertTrue(Integer.parseInt(answer[2]) > 10, "flat roots: " + answer[2]);
        assertEquals("-5", answer[3], "the key signature of D-flat major");
        assertEquals("2", answer[4], "the piano on a grand staff");
        assertTrue(Integer.parseInt(answer[5]) > 0, "ties");
    }

    /** Converts a file with MuseScore; fails on any warning about durations. Returns the MuseScore file. */
    private static String museScore(Path in, Path out) throws Exception {
        String log = run(List.of("mscore3", "-o", out.toString(), in.toString()), out.getParent());
        assertFalse(log.toLowerCase().contains("duration"), log);
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    private static String run(List<String> command, Path dir) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().put("QT_QPA_PLATFORM", "offscreen");
        builder.environment().put("XDG_RUNTIME_DIR", dir.toString());
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "timed out: " + command);
        String text = new String(output, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), command.get(0) + ": " + text);
        return text;
    }
}
