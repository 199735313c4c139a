package dev.merlai.music.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.merlai.music.ChordSpan;
import dev.merlai.music.KeySignature;
import dev.merlai.music.Note;
import dev.merlai.music.PedalSpan;
import dev.merlai.music.Score;
import dev.merlai.music.TempoMap;
import dev.merlai.music.TimeSignature;
import dev.merlai.music.Track;
import dev.merlai.music.theory.Spelling;

/**
 * Writes Merlai's own JSON note format, the one the API speaks. The format is specified by
 * {@code score.schema.json} beside this class; {@link JsonScoreReader} reads it back.
 */
public final class ScoreJson {

    /** The value of the {@code format} field. */
    public static final String FORMAT = "merlai.score";
    public static final int VERSION = 1;
    /** Where the schema lives on the class path. */
    public static final String SCHEMA_RESOURCE = "/dev/merlai/music/json/score.schema.json";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ScoreJson() {
    }

    public static ObjectNode toTree(Score score) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        root.put("ticksPerQuarter", Score.TICKS_PER_QUARTER);
        ArrayNode tempo = root.putArray("tempo");
        for (TempoMap.Change change : score.tempo().changes()) {
            tempo.addObject().put("tick", change.tick()).put("microsPerQuarter", change.microsPerQuarter())
                    .put("bpm", Math.round(change.bpm() * 1000) / 1000.0);
        }
        ObjectNode meter = root.putObject("meter");
        meter.put("pickup", score.meter().pickup());
        ArrayNode signatures = meter.putArray("timeSignatures");
        for (TimeSignature signature : score.meter().changes()) {
            signatures.addObject().put("tick", signature.tick()).put("numerator", signature.numerator())
                    .put("denominator", signature.denominator());
        }
        ArrayNode keys = root.putArray("keys");
        for (KeySignature key : score.keys()) keys.addObject().put("tick", key.tick()).put("key", key.label());
        ArrayNode chords = root.putArray("chords");
        for (ChordSpan chord : score.chords()) {
            chords.addObject().put("onset", chord.onset()).put("duration", chord.duration()).put("label", chord.chord().label())
                    .put("name", chord.chord().commonName(score.keyAt(chord.onset()).orElse(Spelling.NO_KEY)));
        }
        ArrayNode tracks = root.putArray("tracks");
        for (Track track : score.tracks()) {
            ObjectNode node = tracks.addObject();
            node.put("name", track.name()).put("role", track.role().id()).put("program", track.program()).put("channel", track.channel());
            ArrayNode notes = node.putArray("notes");
            for (Note note : track.notes()) {
                notes.addObject().put("pitch", note.pitch()).put("velocity", note.velocity())
                        .put("onset", note.onset()).put("duration", note.duration());
            }
            if (!track.sustain().isEmpty()) {
                ArrayNode sustain = node.putArray("sustain");
                for (PedalSpan span : track.sustain()) sustain.addObject().put("onset", span.onset()).put("duration", span.duration());
            }
        }
        return root;
    }

    public static byte[] write(Score score) {
        try {
            return MAPPER.writeValueAsBytes(toTree(score));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a score tree always serialises", e);
        }
    }

    /** The shared mapper: thread-safe once configured. */
    static ObjectMapper mapper() {
        return MAPPER;
    }

    static JsonNode parse(byte[] data) throws java.io.IOException {
        return MAPPER.readTree(data);
    }
}
