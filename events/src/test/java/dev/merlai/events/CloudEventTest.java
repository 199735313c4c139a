package dev.merlai.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("CloudEvent")
class CloudEventTest {

    @Test
    @DisplayName("carries a subject with emoji, CJK, spaces and % percent-encoded as the HTTP binding says, and reads it back")
    void percentEncodesAttributes() {
        String key = "tenants/demo/inbox/\u2713 \uD83C\uDFB5 \u591C\u66F2 \"100%\".mid";
        CloudEvent event = CloudEvent.json("test.uploaded", "/test", "e1", key, "{}");

        Map<String, String> headers = event.headers();

        assertEquals("tenants/demo/inbox/%E2%9C%93%20%F0%9F%8E%B5%20%E5%A4%9C%E6%9B%B2%20%22100%25%22.mid", headers.get("ce-subject"));
        assertTrue(headers.values().stream().allMatch(value -> value.chars().allMatch(c -> c > 0x20 && c < 0x7F)), headers.toString());
        CloudEvent read = CloudEvent.fromHttp(headers.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> List.of(e.getValue()))), event.data());
        assertEquals(key, read.subject());
    }

    @Test
    @DisplayName("reads a header that was not encoded (a hand-written curl) as it was sent")
    void readsUnencodedValues() {
        CloudEvent read = CloudEvent.fromHttp(Map.of("ce-specversion", List.of("1.0"), "ce-id", List.of("50%-off"), "ce-source", List.of("/curl"),
                "ce-type", List.of("test.uploaded"), "ce-subject", List.of("100% done, 5%")), new byte[0]);
        assertEquals("50%-off", read.id());
        assertEquals("100% done, 5%", read.subject());
    }

    @Test
    @DisplayName("is read the same from binary and from structured mode")
    void readsBothModes() {
        CloudEvent sent = CloudEvent.json("test.uploaded", "/test", "e2", "tenants/demo/inbox/song.mid", "{\"tenant\":\"demo\"}");

        CloudEvent structured = CloudEvent.fromHttp(Map.of("Content-Type", List.of("application/cloudevents+json")), sent.structured());
        CloudEvent binary = CloudEvent.fromHttp(sent.headers().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> List.of(e.getValue()))), sent.data());

        for (CloudEvent read : List.of(structured, binary)) {
            assertEquals(List.of("e2", "/test", "test.uploaded", "tenants/demo/inbox/song.mid", CloudEvent.JSON),
                    List.of(read.id(), read.source(), read.type(), read.subject(), read.contentType()));
            assertEquals("{\"tenant\":\"demo\"}", new String(read.data(), StandardCharsets.UTF_8));
        }
    }

    @Test
    @DisplayName("writes a batch as a JSON array of structured events, each with its time and its JSON data as JSON")
    void writesABatch() throws Exception {
        Instant at = Instant.parse("2026-12-06T10:15:30Z");
        byte[] batch = CloudEvent.batch(List.of(
                CloudEvent.json("test.recorded", "/test", "a/1", "a", "{\"amount\":3}").at(at),
                CloudEvent.json("test.recorded", "/test", "a/2", "a", "{\"amount\":4}").at(at)));

        JsonNode events = new ObjectMapper().readTree(batch);
        assertEquals(2, events.size());
        assertEquals("1.0", events.get(0).get("specversion").asText());
        assertEquals("a/2", events.get(1).get("id").asText());
        assertEquals(at, Instant.parse(events.get(0).get("time").asText()));
        assertEquals(4, events.get(1).get("data").get("amount").asInt());
        assertEquals("[]", new String(CloudEvent.batch(List.of()), StandardCharsets.UTF_8));
    }
}
