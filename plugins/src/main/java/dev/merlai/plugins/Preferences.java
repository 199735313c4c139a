package dev.merlai.plugins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A tenant's hard filters: the plugin formats their DAW loads, their operating systems, free plugins only. A
 * recommendation never crosses them. Empty lists mean "any". General MIDI fallbacks need no plugin and are free,
 * so they pass the format and licence filters, and every OS has a General MIDI synth.
 */
public record Preferences(List<String> formats, List<String> os, boolean freeOnly) {

    public static final Set<String> FORMATS = Set.of("VST3", "AU", "CLAP", "LV2", "AAX");
    public static final Set<String> SYSTEMS = Set.of("windows", "macos", "linux");
    public static final Preferences NONE = new Preferences(List.of(), List.of(), false);

    public Preferences {
        formats = List.copyOf(formats);
        os = List.copyOf(os);
    }

    public boolean admits(PluginEntry entry) {
        if (entry.isFallback()) return true;
        if (!formats.isEmpty() && entry.formats().stream().noneMatch(formats::contains)) return false;
        if (!os.isEmpty() && entry.os().stream().noneMatch(os::contains)) return false;
        return !freeOnly || entry.isFree();
    }

    public static Preferences fromJson(byte[] json) throws InvalidEntryException {
        try {
            return fromJson(CatalogSchema.MAPPER.readTree(json));
        } catch (IOException e) {
            throw new InvalidEntryException("", "preferences are not JSON: " + e.getMessage());
        }
    }

    /** Reads {@code {"formats": [...], "os": [...], "freeOnly": bool}}; an unknown value is an error naming its field. */
    public static Preferences fromJson(JsonNode json) throws InvalidEntryException {
        if (json == null || !json.isObject()) throw new InvalidEntryException("", "preferences are a JSON object {formats, os, freeOnly}");
        for (var names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!Set.of("formats", "os", "freeOnly").contains(name)) throw new InvalidEntryException(name, "unknown preference '" + name + "'");
        }
        List<String> formats = values(json, "formats", FORMATS, false);
        List<String> os = values(json, "os", SYSTEMS, true);
        JsonNode free = json.path("freeOnly");
        if (!free.isMissingNode() && !free.isBoolean()) throw new InvalidEntryException("freeOnly", "freeOnly must be true or false");
        return new Preferences(formats, os, free.asBoolean(false));
    }

    private static List<String> values(JsonNode json, String field, Set<String> allowed, boolean lowerCase) throws InvalidEntryException {
        JsonNode node = json.path(field);
        if (node.isMissingNode() || node.isNull()) return List.of();
        if (!node.isArray()) throw new InvalidEntryException(field, field + " must be a list, one of " + allowed);
        List<String> values = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            String raw = node.get(i).asText();
            String value = lowerCase ? raw.toLowerCase(Locale.ROOT) : raw.toUpperCase(Locale.ROOT);
            if (!node.get(i).isTextual() || !allowed.contains(value)) {
                throw new InvalidEntryException(field + "[" + i + "]", "'" + raw + "' is not one of " + allowed);
            }
            if (!values.contains(value)) values.add(value);
        }
        return values;
    }

    public byte[] toJson() {
        ObjectNode node = CatalogSchema.MAPPER.createObjectNode();
        formats.forEach(node.putArray("formats")::add);
        os.forEach(node.putArray("os")::add);
        node.put("freeOnly", freeOnly);
        try {
            return CatalogSchema.MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
