package dev.merlai.plugins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a user said about one recommendation for one track: accepted it, rejected it, or replaced it with another
 * catalog entry. It counts for tracks of the same role: "for bass lines I prefer X".
 *
 * @param role        the role of the track the recommendation was for (bass, piano, ...)
 * @param entry       the recommended entry the verdict is about
 * @param replacement the entry used instead (only for {@link Verdict#REPLACED})
 */
public record Feedback(String tenant, String job, int track, String role, Verdict verdict, String entry, String replacement, Instant at) {

    public enum Verdict {
        ACCEPTED, REJECTED, REPLACED;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Verdict fromId(String id) throws InvalidEntryException {
            for (Verdict v : values()) if (v.id().equalsIgnoreCase(id)) return v;
            throw new InvalidEntryException("verdict", "verdict must be accepted, rejected or replaced, was '" + id + "'");
        }
    }

    /** How much one verdict moves an entry's score for that tenant and role. */
    static final double ACCEPTED_WEIGHT = 0.15;
    static final double REJECTED_WEIGHT = -0.35;
    static final double REPLACEMENT_WEIGHT = 0.35;

    /** The score changes this feedback makes, keyed by {@link #key(String, String)}. */
    public Map<String, Double> adjustments() {
        Map<String, Double> changes = new LinkedHashMap<>();
        switch (verdict) {
            case ACCEPTED -> changes.put(key(role, entry), ACCEPTED_WEIGHT);
            case REJECTED -> changes.put(key(role, entry), REJECTED_WEIGHT);
            case REPLACED -> {
                changes.put(key(role, entry), REJECTED_WEIGHT);
                changes.put(key(role, replacement), REPLACEMENT_WEIGHT);
            }
        }
        return changes;
    }

    /** The key of a tenant's affinity for an entry on tracks of a role, e.g. {@code bass|ik-modo-bass-2}. */
    public static String key(String role, String entryId) {
        return role + "|" + entryId;
    }

    public byte[] toJson() {
        ObjectNode node = CatalogSchema.MAPPER.createObjectNode()
                .put("tenant", tenant).put("job", job).put("track", track).put("role", role).put("verdict", verdict.id())
                .put("entry", entry).put("at", at.toString());
        if (replacement != null) node.put("replacement", replacement);
        try {
            return CatalogSchema.MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Feedback fromJson(byte[] json) {
        try {
            JsonNode n = CatalogSchema.MAPPER.readTree(json);
            return new Feedback(n.get("tenant").asText(), n.get("job").asText(), n.get("track").asInt(), n.get("role").asText(),
                    Verdict.fromId(n.get("verdict").asText()), n.get("entry").asText(),
                    n.hasNonNull("replacement") ? n.get("replacement").asText() : null, Instant.parse(n.get("at").asText()));
        } catch (IOException | InvalidEntryException | RuntimeException e) {
            throw new IllegalStateException("a stored feedback event is unreadable: " + e.getMessage(), e);
        }
    }
}
