package dev.merlai.plugins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.Set;

/** Checks catalog entries against {@code plugin.schema.json}; the first problem is reported with the field it is in. */
public final class CatalogSchema {

    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonSchema SCHEMA = load();

    private CatalogSchema() {
    }

    private static JsonSchema load() {
        try (InputStream in = CatalogSchema.class.getResourceAsStream("plugin.schema.json")) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException("plugin.schema.json is missing from the jar", e);
        }
    }

    /** The entry, once it matches the schema. */
    public static PluginEntry entry(JsonNode json) throws InvalidEntryException {
        if (json == null || !json.isObject()) throw new InvalidEntryException("", "a catalog entry must be a JSON object");
        Set<ValidationMessage> problems = SCHEMA.validate(json);
        if (!problems.isEmpty()) {
            // A field's own rule before a rule tying fields together (licence free -> price band free), then the
            // deepest location: "formats[1]" says more than "formats".
            ValidationMessage first = problems.stream()
                    .min(Comparator.comparing((ValidationMessage m) -> m.getEvaluationPath().toString().contains("allOf"))
                            .thenComparingInt(m -> -field(m).length()).thenComparing(CatalogSchema::field))
                    .orElseThrow();
            String field = field(first);
            throw new InvalidEntryException(field, "catalog entry field '" + field + "': " + first.getMessage());
        }
        return MAPPER.convertValue(json, PluginEntry.class);
    }

    private static String field(ValidationMessage message) {
        String location = message.getInstanceLocation().toString();
        String path = location.startsWith("$.") ? location.substring(2) : location.equals("$") ? "" : location.substring(1);
        String property = message.getProperty();
        boolean namesAProperty = "required".equals(message.getType()) || "additionalProperties".equals(message.getType());
        if (namesAProperty && property != null) return path.isEmpty() ? property : path + "." + property;
        return path;
    }
}
