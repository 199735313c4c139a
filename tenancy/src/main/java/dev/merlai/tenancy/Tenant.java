package dev.merlai.tenancy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A customer: its objects live under {@code tenants/<id>/}, its usage is billed on its plan.
 *
 * @param id        the tenant id, also its storage prefix
 * @param plan      the plan's name
 * @param createdAt when it was created
 * @param revokedAt when it was revoked (every key stops working), or null while active
 * @param keyHashes SHA-256 hashes of its API keys (the keys themselves are never stored)
 */
public record Tenant(String id, String plan, Instant createdAt, Instant revokedAt, List<String> keyHashes) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public Tenant {
        keyHashes = List.copyOf(keyHashes);
    }

    public boolean active() {
        return revokedAt == null;
    }

    Tenant withKey(String hash) {
        List<String> hashes = new ArrayList<>(keyHashes);
        hashes.add(hash);
        return new Tenant(id, plan, createdAt, revokedAt, hashes);
    }

    Tenant onPlan(String newPlan) {
        return new Tenant(id, newPlan, createdAt, revokedAt, keyHashes);
    }

    Tenant revoked(Instant at) {
        return new Tenant(id, plan, createdAt, at, keyHashes);
    }

    /** What an admin sees: no key hashes, only how many keys there are. */
    public ObjectNode summary() {
        ObjectNode node = MAPPER.createObjectNode().put("tenant", id).put("plan", plan).put("createdAt", createdAt.toString())
                .put("keys", keyHashes.size()).put("state", active() ? "active" : "revoked");
        if (revokedAt != null) node.put("revokedAt", revokedAt.toString());
        return node;
    }

    byte[] toJson() {
        ObjectNode node = MAPPER.createObjectNode().put("tenant", id).put("plan", plan).put("createdAt", createdAt.toString());
        if (revokedAt != null) node.put("revokedAt", revokedAt.toString());
        keyHashes.forEach(node.putArray("keyHashes")::add);
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Tenant fromJson(byte[] json) {
        try {
            JsonNode node = MAPPER.readTree(json);
            List<String> hashes = new ArrayList<>();
            node.path("keyHashes").forEach(h -> hashes.add(h.asText()));
            return new Tenant(node.get("tenant").asText(), node.get("plan").asText(), Instant.parse(node.get("createdAt").asText()),
                    node.hasNonNull("revokedAt") ? Instant.parse(node.get("revokedAt").asText()) : null, hashes);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("a tenant record is unreadable: " + e.getMessage(), e);
        }
    }
}
