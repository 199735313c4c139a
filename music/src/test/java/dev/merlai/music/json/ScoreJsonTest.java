package dev.merlai.music.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.merlai.music.RandomScores;
import dev.merlai.music.Role;
import dev.merlai.music.Score;
import dev.merlai.music.io.ReadLimits;
import dev.merlai.music.io.ReadOptions;
import dev.merlai.music.io.ReadResult;
import dev.merlai.music.io.ScoreReadException;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScoreJsonTest {

    private final JsonScoreReader reader = new JsonScoreReader();

    @Test
    void everyRandomScoreReadsBackEqual() throws Exception {
        Random random = new Random(7);
        for (int i = 0; i < 300; i++) {
            Score score = RandomScores.next(random);
            assertEquals(score, reader.read(ScoreJson.write(score), ReadOptions.DEFAULT).score(), "case " + i);
        }
    }

    @Test
    void theSchemaExampleIsReadAndItsMelodyReported() throws Exception {
        JsonNode example = schema().get("examples").get(0);
        ReadResult result = reader.read(example.toString().getBytes(StandardCharsets.UTF_8), ReadOptions.DEFAULT);
        assertEquals(3, result.score().melody().orElseThrow().notes().size());
        assertEquals(625_000, result.score().tempo().changeAt(0).microsPerQuarter());
        assertTrue(result.melodyChoice().contains("MELODY"));
    }

    @Test
    void theSchemaDescribesEveryFieldTheWriterWrites() throws Exception {
        JsonNode written = ScoreJson.toTree(RandomScores.next(new Random(3)));
        assertDescribed(written, schema());
    }

    @Test
    void otherResolutionsAreConvertedToTheModelsTicks() throws Exception {
        String json = """
                {"ticksPerQuarter": 96, "tracks": [{"role": "melody", "notes": [{"pitch": 60, "onset": 96, "duration": 48}]}]}""";
        Score score = read(json);
        assertEquals(480, score.melody().orElseThrow().notes().get(0).onset());
        assertEquals(240, score.melody().orElseThrow().notes().get(0).duration());
        assertEquals(Role.MELODY, score.tracks().get(0).role());
    }

    @Test
    void aWrongFieldIsNamedByItsPath() {
        ScoreReadException error = assertThrows(ScoreReadException.class,
                () -> read("{\"tracks\": [{\"notes\": [{\"pitch\": 200, \"onset\": 0, \"duration\": 1}]}]}"));
        assertEquals(ScoreReadException.Kind.INVALID_FIELD, error.kind());
        assertEquals("$.tracks[0].notes[0].pitch", error.location());

        error = assertThrows(ScoreReadException.class, () -> read("{\"tracks\": [{\"notez\": []}]}"));
        assertEquals("$.tracks[0].notez", error.location());

        error = assertThrows(ScoreReadException.class, () -> read("{\"chords\": [{\"onset\": 0, \"duration\": 5, \"label\": \"H:maj\"}], \"tracks\": [{}]}"));
        assertEquals("$.chords[0].label", error.location());
    }

    @Test
    void brokenJsonIsCorrupt() {
        ScoreReadException error = assertThrows(ScoreReadException.class, () -> read("{\"tracks\": [}"));
        assertEquals(ScoreReadException.Kind.CORRUPT, error.kind());
    }

    @Test
    void limitsAreEnforced() {
        String json = "{\"tracks\": [{\"notes\": [{\"pitch\": 60, \"onset\": 0, \"duration\": 1}, {\"pitch\": 62, \"onset\": 1, \"duration\": 1}]}]}";
        ReadOptions oneNote = new ReadOptions(new ReadLimits(1 << 20, 4, 1, 60), null);
        ScoreReadException error = assertThrows(ScoreReadException.class,
                () -> reader.read(json.getBytes(StandardCharsets.UTF_8), oneNote));
        assertEquals(ScoreReadException.Kind.LIMIT_EXCEEDED, error.kind());
        ReadOptions oneMinute = new ReadOptions(new ReadLimits(1 << 20, 4, 100, 60), null);
        String long_ = "{\"tracks\": [{\"notes\": [{\"pitch\": 60, \"onset\": 0, \"duration\": 100000}]}]}";
        assertThrows(ScoreReadException.class, () -> reader.read(long_.getBytes(StandardCharsets.UTF_8), oneMinute));
    }

    private Score read(String json) throws ScoreReadException {
        return reader.read(json.getBytes(StandardCharsets.UTF_8), ReadOptions.DEFAULT).score();
    }

    private static JsonNode schema() throws Exception {
        try (InputStream in = ScoreJson.class.getResourceAsStream(ScoreJson.SCHEMA_RESOURCE)) {
            return new ObjectMapper().readTree(in);
        }
    }

    /** Walks the written document beside the schema: every object field must be a declared property. */
    private static void assertDescribed(JsonNode value, JsonNode schema) {
        if (value.isObject()) {
            JsonNode properties = schema.get("properties");
            Iterator<String> names = value.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                assertTrue(properties != null && properties.has(name), "schema lacks property " + name);
                assertDescribed(value.get(name), properties.get(name));
            }
        } else if (value.isArray()) {
            for (JsonNode item : value) assertDescribed(item, schema.get("items"));
        }
    }
}
