package dev.merlai.arranger;

import dev.merlai.arranger.model.ArrangementModels;
import dev.merlai.music.Role;
import dev.merlai.music.Score;
import dev.merlai.music.io.ReadOptions;
import dev.merlai.music.io.Scores;
import dev.merlai.music.midi.MidiWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The arranger's output, byte for byte: the SHA-256 of the MIDI file of a few arrangements (Ode to Joy in both
 * styles, a POP909 and a Lieder validation melody, a {@code --bars} infill; seeds 1 and 2) is checked against
 * {@code arrangement-fingerprints.txt}. A restructuring must keep them; a change meant to alter the music
 * (or new models) rewrites the file on purpose: {@code -Dmerlai.fingerprints.write=<path of the file>}.
 * Needs the shared data ({@code -Dmerlai.data}, else {@code ../shared/data} beside the repository).
 */
class ArrangementFingerprintTest {

    private static final String FINGERPRINTS = "arrangement-fingerprints.txt";
    private static ArrangementModels models;
    private static Arranger arranger;

    @BeforeAll
    static void loadModels() throws Exception {
        models = Examples.shippedModels();
        arranger = Examples.shippedArranger();
    }


    @Test
    void theSameInputsGiveTheSameMidiBytesAsRecorded() throws Exception {
        Map<String, String> actual = new LinkedHashMap<>();
        actual.put("models", models.version());
        Score ode = Examples.odeToJoy();
        Score pop909 = melodyOnly(read(Examples.dataDir().resolve("pop909/011/011.mid")));
        Score lied = melodyOnly(read(Examples.dataDir().resolve("openscore-lieder/scores/lc29270672.mxl")));
        ArrangeOptions seed1 = ArrangeOptions.DEFAULT, seed2 = ArrangeOptions.DEFAULT.with(o -> o.seed(2));

        Score odeArranged = arranger.arrange(ode, seed1).score();
        actual.put("ode-to-joy pop seed 1", fingerprint(odeArranged));
        actual.put("ode-to-joy lied seed 2", fingerprint(arranger.arrange(ode, seed2.with(o -> o.style(Style.LIED))).score()));
        actual.put("pop909 011 pop seed 1", fingerprint(arranger.arrange(pop909, seed1).score()));
        actual.put("pop909 011 pop seed 2", fingerprint(arranger.arrange(pop909, seed2).score()));
        actual.put("lieder lc29270672 lied seed 1", fingerprint(arranger.arrange(lied, seed1.with(o -> o.style(Style.LIED))).score()));
        actual.put("ode-to-joy bars 5-8 seed 2", fingerprint(arranger.arrange(odeArranged, seed2.with(o -> o.bars(new BarRange(5, 8)))).score()));

        StringBuilder text = new StringBuilder();
        actual.forEach((name, value) -> text.append(name).append(": ").append(value).append('\n'));
        String target = System.getProperty("merlai.fingerprints.write");
        if (target != null) Files.writeString(Path.of(target), text.toString());
        try (var in = ArrangementFingerprintTest.class.getResourceAsStream(FINGERPRINTS)) {
            assertTrue(in != null, FINGERPRINTS + " is missing");
            assertEquals(new String(in.readAllBytes(), StandardCharsets.UTF_8), text.toString());
        }
    }

    private static String fingerprint(Score score) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(new MidiWriter().write(score)));
    }

    private static Score read(Path file) throws Exception {
        assertTrue(Files.isRegularFile(file), file + " is missing (the shared data: -Dmerlai.data=<dir>)");
        return Scores.read(file, ReadOptions.DEFAULT).score();
    }

    private static Score melodyOnly(Score score) {
        return score.withTracks(score.tracks().stream().filter(t -> t.role() == Role.MELODY).toList());
    }
}
