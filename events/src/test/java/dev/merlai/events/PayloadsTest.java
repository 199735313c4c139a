package dev.merlai.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The payload records as producers write them and consumers read them back. */
class PayloadsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void anUploadNotificationSaysOnlyWhichObjectOfWhichTenant() throws Exception {
        JsonNode written = MAPPER.readTree(MAPPER.writeValueAsBytes(CompletionRequest.upload("demo", "tenants/demo/inbox/song.mid")));
        assertEquals(MAPPER.readTree("{\"tenant\": \"demo\", \"key\": \"tenants/demo/inbox/song.mid\"}"), written);
        CompletionRequest read = MAPPER.treeToValue(written, CompletionRequest.class);
        assertEquals("demo", read.tenant);
        assertEquals("tenants/demo/inbox/song.mid", read.key);
    }

    @Test
    void anArrangementCompletedEventReadsBackAsWrittenAndStaysSmall() throws Exception {
        ArrangementCompleted written = new ArrangementCompleted("demo", "j1", "pop",
                List.of("tenants/demo/results/j1/arrangement.json", "tenants/demo/results/j1/arrangement.mid"), "merlai-chords@1.0.0", 7, 32, 850,
                "track 0 (MELODY): the only one", "4/4 kept from the input", "C major (inferred)", "A(1-8) A(9-16) B(17-24) A'(25-32)", "none", 0,
                "bars 33-34, G:maj to C:maj", "1-34");
        byte[] json = MAPPER.writeValueAsBytes(written);
        assertEquals(written, MAPPER.readValue(json, ArrangementCompleted.class));
        assertTrue(json.length < 1024, "a reference to the stored arrangement, not the notes: " + json.length + " bytes");
    }

    @Test
    void suggestedProgramsTravelByTrackIndex() throws Exception {
        PluginsRecommended written = new PluginsRecommended("demo", "j1", "tenants/demo/results/j1/plugins.json", 3, null, Map.of(0, 56, 2, 32));
        PluginsRecommended read = MAPPER.readValue(MAPPER.writeValueAsBytes(written), PluginsRecommended.class);
        assertEquals(written, read);
        assertEquals(56, read.programs().get(0));
    }
}
