package dev.merlai.local;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

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
}
