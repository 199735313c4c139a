package dev.merlai.music.json;

import com.fasterxml.jackson.databind.JsonNode;
import dev.merlai.music.Chord;
import dev.merlai.music.ChordSpan;
import dev.merlai.music.KeySignature;
import dev.merlai.music.MeterMap;
import dev.merlai.music.Note;
import dev.merlai.music.PedalSpan;
import dev.merlai.music.Role;
import dev.merlai.music.Score;
import dev.merlai.music.TempoMap;
import dev.merlai.music.TimeSignature;
import dev.merlai.music.Track;
import dev.merlai.music.io.ReadOptions;
import dev.merlai.music.io.ReadResult;
import dev.merlai.music.io.ScoreReadException;
import dev.merlai.music.io.ScoreReadException.Kind;
import dev.merlai.music.io.ScoreReader;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads Merlai's JSON note format ({@code score.schema.json}). Strict: an unknown field, a missing
 * required field or a value out of range is an {@link Kind#INVALID_FIELD} error naming its JSON path,
 * so a typo in a request never passes silently. Times may be given at any {@code ticksPerQuarter};
 * they are converted to the model's 480.
 */
public final class JsonScoreReader implements ScoreReader {

    private static final Set<String> ROOT_FIELDS = Set.of("$schema", "format", "version", "ticksPerQuarter", "tempo", "meter", "keys", "chords", "tracks");
    private static final Set<String> TEMPO_FIELDS = Set.of("tick", "microsPerQuarter", "bpm");
    private static final Set<String> METER_FIELDS = Set.of("pickup", "timeSignatures");
    private static final Set<String> SIGNATURE_FIELDS = Set.of("tick", "numerator", "denominator");
    private static final Set<String> KEY_FIELDS = Set.of("tick", "key");
    private static final Set<String> CHORD_FIELDS = Set.of("onset", "duration", "label", "name");
    private static final Set<String> TRACK_FIELDS = Set.of("name", "role", "program", "channel", "notes", "sustain");
    private static final Set<String> NOTE_FIELDS = Set.of("pitch", "velocity", "onset", "duration");
    private static final Set<String> SPAN_FIELDS = Set.of("onset", "duration");

    @Override
    public ReadResult read(byte[] data, ReadOptions options) throws ScoreReadException {
        options.limits().checkBytes(data.length);
        JsonNode root;
        try {
            root = ScoreJson.parse(data);
        } catch (IOException e) {
            throw new ScoreReadException(Kind.CORRUPT, "", "not valid JSON: " + firstLine(e.getMessage()));
        }
        if (root == null || !root.isObject()) throw invalid("$", "the score must be a JSON object");
        checkFields(root, "$", ROOT_FIELDS);
        if (root.has("format") && !ScoreJson.FORMAT.equals(root.get("format").asText())) {
            throw invalid("$.format", "must be \"" + ScoreJson.FORMAT + "\"");
        }
        if (root.has("version") && root.get("version").asInt(-1) != ScoreJson.VERSION) {
            throw new ScoreReadException(Kind.UNSUPPORTED, "$.version", "only version " + ScoreJson.VERSION + " is supported");
        }
        int resolution = root.has("ticksPerQuarter") ? (int) integer(root, "ticksPerQuarter", "$", 1, 32767) : Score.TICKS_PER_QUARTER;
        Ticks ticks = new Ticks(resolution);

        List<TempoMap.Change> tempo = new ArrayList<>();
        for (Element e : array(root, "tempo", "$")) {
            checkFields(e.node, e.path, TEMPO_FIELDS);
            long tick = ticks.at(e, "tick");
            if (e.node.has("microsPerQuarter")) {
                tempo.add(new TempoMap.Change(tick, integer(e.node, "microsPerQuarter", e.path, 1, 0xFFFFFF)));
            } else if (e.node.has("bpm")) {
                tempo.add(TempoMap.Change.ofBpm(tick, number(e.node, "bpm", e.path, 4, 1000)));
            } else {
                throw invalid(e.path, "a tempo needs microsPerQuarter or bpm");
            }
        }
        MeterMap meter = readMeter(root, ticks);
        List<KeySignature> keys = new ArrayList<>();
        for (Element e : array(root, "keys", "$")) {
            checkFields(e.node, e.path, KEY_FIELDS);
            String text = text(e.node, "key", e.path);
            try {
                keys.add(KeySignature.parse(ticks.at(e, "tick"), text));
            } catch (IllegalArgumentException | StringIndexOutOfBoundsException ex) {
                throw invalid(e.path + ".key", "'" + text + "' is not a key such as C:maj or F#:min");
            }
        }
        List<ChordSpan> chords = new ArrayList<>();
        for (Element e : array(root, "chords", "$")) {
            checkFields(e.node, e.path, CHORD_FIELDS);
            Chord chord;
            try {
                chord = Chord.parse(text(e.node, "label", e.path));
            } catch (IllegalArgumentException ex) {
                throw invalid(e.path + ".label", ex.getMessage());
            }
            chords.add(new ChordSpan(ticks.at(e, "onset"), ticks.length(e, "duration"), chord));
        }
        List<Track> tracks = new ArrayList<>();
        List<Element> trackElements = array(root, "tracks", "$");
        if (trackElements.isEmpty()) throw invalid("$.tracks", "at least one track is required");
        options.limits().checkTracks(trackElements.size());
        int noteCount = 0;
        for (Element e : trackElements) {
            Track track = readTrack(e, ticks);
            noteCount += track.notes().size();
            options.limits().checkNotes(noteCount);
            tracks.add(track);
        }
        Score score;
        try {
            score = new Score(new TempoMap(tempo), meter, keys, chords, tracks);
        } catch (IllegalArgumentException e) {
            throw invalid("$", e.getMessage());
        }
        options.limits().checkDuration(score.durationSeconds());
        return new ReadResult(score, melodyChoice(score, options));
    }

    private static String melodyChoice(Score score, ReadOptions options) throws ScoreReadException {
        List<Track> tracks = score.tracks();
        for (int i = 0; i < tracks.size(); i++) {
            if (tracks.get(i).role() == Role.MELODY) return "track " + (i + 1) + " \"" + tracks.get(i).name() + "\" (role melody)";
        }
        return "";
    }

    private static MeterMap readMeter(JsonNode root, Ticks ticks) throws ScoreReadException {
        JsonNode node = root.get("meter");
        if (node == null || node.isNull()) return MeterMap.of(4, 4);
        if (!node.isObject()) throw invalid("$.meter", "must be an object");
        checkFields(node, "$.meter", METER_FIELDS);
        List<TimeSignature> signatures = new ArrayList<>();
        for (Element e : array(node, "timeSignatures", "$.meter")) {
            checkFields(e.node, e.path, SIGNATURE_FIELDS);
            try {
                signatures.add(new TimeSignature(ticks.at(e, "tick"), (int) integer(e.node, "numerator", e.path, 1, 64),
                        (int) integer(e.node, "denominator", e.path, 1, 128)));
            } catch (IllegalArgumentException ex) {
                throw invalid(e.path, ex.getMessage());
            }
        }
        long pickup = node.has("pickup") ? ticks.convert(integer(node, "pickup", "$.meter", 0, Integer.MAX_VALUE)) : 0;
        try {
            return new MeterMap(signatures, pickup);
        } catch (IllegalArgumentException ex) {
            throw invalid("$.meter", ex.getMessage());
        }
    }

    private static Track readTrack(Element e, Ticks ticks) throws ScoreReadException {
        checkFields(e.node, e.path, TRACK_FIELDS);
        Role role;
        String roleText = e.node.has("role") ? text(e.node, "role", e.path) : "other";
        try {
            role = Role.fromId(roleText);
        } catch (IllegalArgumentException ex) {
            throw invalid(e.path + ".role", "unknown role '" + roleText + "' (melody, chords, bass, piano, counter-melody, drums, other)");
        }
        String name = e.node.has("name") ? text(e.node, "name", e.path) : role.trackName();
        int program = e.node.has("program") ? (int) integer(e.node, "program", e.path, 0, 127) : 0;
        int channel = e.node.has("channel") ? (int) integer(e.node, "channel", e.path, 0, 15)
                : role == Role.DRUMS ? Track.DRUM_CHANNEL : 0;
        List<Note> notes = new ArrayList<>();
        for (Element n : array(e.node, "notes", e.path)) {
            checkFields(n.node, n.path, NOTE_FIELDS);
            int velocity = n.node.has("velocity") ? (int) integer(n.node, "velocity", n.path, 1, 127) : 90;
            notes.add(new Note((int) integer(n.node, "pitch", n.path, 0, 127), velocity, ticks.at(n, "onset"), ticks.length(n, "duration")));
        }
        List<PedalSpan> sustain = new ArrayList<>();
        for (Element s : array(e.node, "sustain", e.path)) {
            checkFields(s.node, s.path, SPAN_FIELDS);
            sustain.add(new PedalSpan(ticks.at(s, "onset"), ticks.length(s, "duration")));
        }
        return new Track(name, role, program, channel, notes, sustain);
    }

    /** An array element with its JSON path, for error messages. */
    private record Element(JsonNode node, String path) {
    }

    /** Converts the input's resolution to model ticks. */
    private record Ticks(int resolution) {
        long convert(long time) {
            return Score.ticksFrom(time, resolution);
        }

        long at(Element e, String field) throws ScoreReadException {
            return convert(integer(e.node, field, e.path, 0, Long.MAX_VALUE / 1024));
        }

        long length(Element e, String field) throws ScoreReadException {
            return Math.max(1, convert(integer(e.node, field, e.path, 1, Long.MAX_VALUE / 1024)));
        }
    }

    private static List<Element> array(JsonNode parent, String field, String path) throws ScoreReadException {
        JsonNode node = parent.get(field);
        List<Element> elements = new ArrayList<>();
        if (node == null || node.isNull()) return elements;
        if (!node.isArray()) throw invalid(path + "." + field, "must be an array");
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            String itemPath = path + "." + field + "[" + i + "]";
            if (!item.isObject()) throw invalid(itemPath, "must be an object");
            elements.add(new Element(item, itemPath));
        }
        return elements;
    }

    private static void checkFields(JsonNode node, String path, Set<String> allowed) throws ScoreReadException {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!allowed.contains(name)) throw invalid(path + "." + name, "unknown field (allowed: " + String.join(", ", allowed.stream().sorted().toList()) + ")");
        }
    }

    private static long integer(JsonNode node, String field, String path, long min, long max) throws ScoreReadException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) throw invalid(path + "." + field, "is required");
        if (!value.isIntegralNumber() || !value.canConvertToLong()) throw invalid(path + "." + field, "must be a whole number");
        long result = value.asLong();
        if (result < min || result > max) throw invalid(path + "." + field, "must be between " + min + " and " + max + ", was " + result);
        return result;
    }

    private static double number(JsonNode node, String field, String path, double min, double max) throws ScoreReadException {
        JsonNode value = node.get(field);
        if (value == null || !value.isNumber()) throw invalid(path + "." + field, "must be a number");
        double result = value.asDouble();
        if (!(result >= min && result <= max)) throw invalid(path + "." + field, "must be between " + min + " and " + max + ", was " + result);
        return result;
    }

    private static String text(JsonNode node, String field, String path) throws ScoreReadException {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) throw invalid(path + "." + field, "must be a string");
        return value.asText();
    }

    private static ScoreReadException invalid(String path, String message) {
        return new ScoreReadException(Kind.INVALID_FIELD, path, message);
    }

    private static String firstLine(String message) {
        if (message == null) return "unreadable";
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
