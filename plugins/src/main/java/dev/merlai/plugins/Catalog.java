package dev.merlai.plugins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The plugin catalog at one version: every entry valid against the schema, ids unique. Changes make a new catalog
 * with the next version; nothing here is mutable.
 */
public record Catalog(long version, List<PluginEntry> entries) {

    public static final String SEED_RESOURCE = "seed-catalog.json";

    public Catalog {
        entries = List.copyOf(entries);
        Set<String> ids = new HashSet<>();
        for (PluginEntry entry : entries) {
            if (!ids.add(entry.id())) throw new IllegalArgumentException("the catalog lists '" + entry.id() + "' twice");
        }
    }

    /** The catalog shipped in the jar: real instruments plus all 128 General MIDI programs. */
    public static Catalog seed() {
        try (InputStream in = Catalog.class.getResourceAsStream(SEED_RESOURCE)) {
            return fromJson(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(SEED_RESOURCE + " is missing from the jar", e);
        } catch (InvalidEntryException e) {
            throw new IllegalStateException("the seed catalog is invalid: " + e.getMessage(), e);
        }
    }

    /** Reads {@code {"version": N, "entries": [...]}}, checking every entry against the schema. */
    public static Catalog fromJson(byte[] json) throws InvalidEntryException {
        JsonNode root;
        try {
            root = CatalogSchema.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new InvalidEntryException("", "the catalog is not JSON: " + e.getMessage());
        }
        if (root == null || !root.path("version").canConvertToLong() || !root.path("entries").isArray()) {
            throw new InvalidEntryException("entries", "a catalog is {\"version\": N, \"entries\": [...]}");
        }
        List<PluginEntry> entries = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < root.get("entries").size(); i++) {
            try {
                PluginEntry entry = CatalogSchema.entry(root.get("entries").get(i));
                if (!ids.add(entry.id())) throw new InvalidEntryException("id", "the id '" + entry.id() + "' is listed twice");
                entries.add(entry);
            } catch (InvalidEntryException e) {
                throw new InvalidEntryException("entries[" + i + "]" + (e.field().isEmpty() ? "" : "." + e.field()), e.getMessage());
            }
        }
        return new Catalog(root.get("version").asLong(), entries);
    }

    public byte[] toJson() {
        ObjectNode root = CatalogSchema.MAPPER.createObjectNode().put("version", version);
        entries.forEach(e -> root.withArray("entries").add(CatalogSchema.MAPPER.valueToTree(e)));
        try {
            return CatalogSchema.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Optional<PluginEntry> find(String id) {
        return entries.stream().filter(e -> e.id().equals(id)).findFirst();
    }

    /** The General MIDI fallback for a program (0-127). */
    public Optional<PluginEntry> gmFallback(int program) {
        return entries.stream().filter(e -> e.isFallback() && e.gmProgram() == program).findFirst();
    }

    public Catalog with(PluginEntry added) {
        if (find(added.id()).isPresent()) throw new IllegalArgumentException("the catalog already has '" + added.id() + "'");
        List<PluginEntry> next = new ArrayList<>(entries);
        next.add(added);
        return new Catalog(version + 1, next);
    }

    public Catalog replacing(PluginEntry changed) {
        if (find(changed.id()).isEmpty()) throw new IllegalArgumentException("the catalog has no '" + changed.id() + "'");
        return new Catalog(version + 1, entries.stream().map(e -> e.id().equals(changed.id()) ? changed : e).toList());
    }

    public Catalog without(String id) {
        if (find(id).isEmpty()) throw new IllegalArgumentException("the catalog has no '" + id + "'");
        return new Catalog(version + 1, entries.stream().filter(e -> !e.id().equals(id)).toList());
    }

    /**
     * The entries matching every given criterion (null = any): a tag (or category) containing {@code tag}, a
     * {@code format}, an {@code os}, a {@code licence} (free or paid), a {@code kind}; case does not matter.
     */
    public List<PluginEntry> search(String tag, String format, String os, String licence, String kind) {
        return entries.stream()
                .filter(e -> tag == null || anyContains(e.tags(), tag) || anyContains(e.categories(), tag))
                .filter(e -> format == null || e.formats().stream().anyMatch(format::equalsIgnoreCase))
                .filter(e -> os == null || e.os().stream().anyMatch(os::equalsIgnoreCase))
                .filter(e -> licence == null || e.licence().equalsIgnoreCase(licence))
                .filter(e -> kind == null || e.kind().equalsIgnoreCase(kind))
                .toList();
    }

    private static boolean anyContains(List<String> values, String wanted) {
        String w = wanted.toLowerCase(Locale.ROOT);
        return values.stream().anyMatch(v -> v.toLowerCase(Locale.ROOT).contains(w));
    }
}
