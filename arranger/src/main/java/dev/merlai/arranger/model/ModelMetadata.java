package dev.merlai.arranger.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON that training writes beside each ONNX file: names, vocabulary and defaults. Serving reads the
 * same file, so the two sides cannot drift apart silently.
 *
 * @param name            model name, e.g. {@code merlai-chords}
 * @param version         model version, e.g. {@code 1.0.0}
 * @param inputNames      the graph's input names
 * @param layout          how the tensors lay out steps and keys
 * @param chordVocabulary the chord classes (chords model), null otherwise
 * @param channels        the names of the note channels, in the order of the note tensors' channel axis (texture
 *                        model), empty otherwise
 * @param styles          style names in the order of the {@code style} input's index
 * @param defaultDensity  median accompaniment onsets per beat, per style (texture model), empty otherwise
 * @param sampling        how to sample the texture model, per style (texture model), empty otherwise
 * @param transpositions  the chord model is run on the melody transposed by -n..+n semitones and its rotated
 *                        log-probabilities averaged (chords model; 0 = the melody as it is)
 * @param chordDecoding   how the chord model's answers become a chord per beat (chords model), null otherwise
 * @param phraseEcho      how much each beat hears the chord model's answers a phrase away (chords model; NONE otherwise)
 */
public record ModelMetadata(String name, String version, List<String> inputNames, TensorLayout layout,
                            ChordVocabulary chordVocabulary, List<String> channels, List<String> styles, Map<String, Double> defaultDensity, Map<String, Sampling> sampling,
                            int transpositions, ChordDecoding chordDecoding, PhraseEcho phraseEcho) {

    private static final JsonFactory JSON = new JsonFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    public static ModelMetadata read(InputStream in) throws IOException {
        JsonNode root = named(tree(in));
        List<String> inputs = new ArrayList<>();
        for (JsonNode input : root.path("inputs")) inputs.add(input.path("name").asText());
        List<String> vocabulary = new ArrayList<>();
        for (JsonNode label : root.path("chord_vocabulary")) vocabulary.add(label.asText());
        List<String> styles = new ArrayList<>();
        for (JsonNode style : root.path("styles")) styles.add(style.asText());
        List<String> channels = new ArrayList<>();
        for (JsonNode channel : root.path("channels")) channels.add(channel.asText());
        Map<String, Double> density = new LinkedHashMap<>();
        root.path("default_density").fields().forEachRemaining(e -> density.put(e.getKey(), e.getValue().asDouble()));
        Map<String, Sampling> sampling = new LinkedHashMap<>();
        for (String style : styles) sampling.put(style, Sampling.read(root.path("sampling").path(style)));
        if (inputs.isEmpty()) throw new IOException("model metadata lacks inputs");
        return new ModelMetadata(root.get("name").asText(), root.get("version").asText(), List.copyOf(inputs),
                TensorLayout.read(root), vocabulary.isEmpty() ? null : ChordVocabulary.of(vocabulary), List.copyOf(channels), List.copyOf(styles), Map.copyOf(density), Map.copyOf(sampling),
                root.path("transpositions").asInt(0), vocabulary.isEmpty() ? null : ChordDecoding.read(root, vocabulary.size()),
                PhraseEcho.read(root));
    }

    /**
     * Any model's metadata (or other JSON the training code writes for serving) as a tree, built from Jackson's
     * streaming parser: an {@code ObjectMapper} would read the same tree, but building the first one in a process costs
     * about 0.3 s of CPU, a quarter of loading the models.
     */
    public static JsonNode tree(InputStream in) throws IOException {
        try (JsonParser parser = JSON.createParser(in)) {
            JsonToken first = parser.nextToken();
            if (first == null) throw new IOException("model metadata is empty");
            return node(parser, first);
        }
    }

    /** The value that starts at {@code token}, read to its end. */
    private static JsonNode node(JsonParser parser, JsonToken token) throws IOException {
        switch (token) {
            case START_OBJECT -> {
                ObjectNode object = NODES.objectNode();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String field = parser.currentName();
                    object.set(field, node(parser, parser.nextToken()));
                }
                return object;
            }
            case START_ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                for (JsonToken element = parser.nextToken(); element != JsonToken.END_ARRAY; element = parser.nextToken()) {
                    array.add(node(parser, element));
                }
                return array;
            }
            case VALUE_STRING -> {
                return NODES.textNode(parser.getText());
            }
            case VALUE_NUMBER_INT -> {
                return switch (parser.getNumberType()) {
                    case INT -> NODES.numberNode(parser.getIntValue());
                    case LONG -> NODES.numberNode(parser.getLongValue());
                    default -> NODES.numberNode(parser.getBigIntegerValue());
                };
            }
            case VALUE_NUMBER_FLOAT -> {
                return NODES.numberNode(parser.getDoubleValue());
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return NODES.booleanNode(token == JsonToken.VALUE_TRUE);
            }
            case VALUE_NULL -> {
                return NODES.nullNode();
            }
            default -> throw new IOException("model metadata is not JSON: " + token + " at " + parser.currentLocation());
        }
    }

    /** {@code name@version} from any model's metadata (the downbeat model's has no more that serving reads). */
    static String nameAndVersion(InputStream in) throws IOException {
        JsonNode root = named(tree(in));
        return root.get("name").asText() + "@" + root.get("version").asText();
    }

    private static JsonNode named(JsonNode root) throws IOException {
        if (!root.hasNonNull("name") || !root.hasNonNull("version")) throw new IOException("model metadata lacks name or version");
        return root;
    }

    /** The sampling settings of a style (plain sampling when the metadata has none). */
    public Sampling sampling(String style) {
        return sampling.getOrDefault(style, Sampling.PLAIN);
    }

    public int styleIndex(String style) {
        int index = styles.indexOf(style);
        if (index < 0) throw new IllegalArgumentException("the model knows no style '" + style + "' (it knows " + styles + ")");
        return index;
    }
}
