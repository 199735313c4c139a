package dev.merlai.tenancy.usage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * One billable fact: a job used this much of a unit. There is at most one per (tenant, job, unit).
 *
 * @param tenant the tenant billed
 * @param job    the job id (from the CloudEvent's source and id, or the HTTP request's idempotency key)
 * @param unit   what was used
 * @param amount how much, in whole units
 * @param at     when it was first recorded; its UTC day is the day it is billed on
 */
public record UsageRecord(String tenant, String job, Unit unit, long amount, Instant at) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public LocalDate day() {
        return at.atZone(ZoneOffset.UTC).toLocalDate();
    }

    byte[] toJson() {
        try {
            return MAPPER.writeValueAsBytes(MAPPER.createObjectNode().put("tenant", tenant).put("job", job).put("unit", unit.id())
                    .put("amount", amount).put("at", at.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static UsageRecord fromJson(byte[] json) {
        try {
            JsonNode node = MAPPER.readTree(json);
            return new UsageRecord(node.get("tenant").asText(), node.get("job").asText(), Unit.fromId(node.get("unit").asText()),
                    node.get("amount").asLong(), Instant.parse(node.get("at").asText()));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("a usage record is unreadable: " + e.getMessage(), e);
        }
    }
}
