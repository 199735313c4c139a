package dev.merlai.plugins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.merlai.music.Score;
import dev.merlai.music.Track;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code plugins.json}, beside a job's other results: for each track of the arrangement (by its index in the score)
 * the ranked suggestions with scores and reasons, and the General MIDI program of the top one, which the preview
 * uses. When nothing could be ranked, {@code error} says why and every track keeps the program it had.
 */
public record PluginsDocument(String tenant, String job, long catalogVersion, String style, Preferences preferences,
                              List<TrackSuggestions> tracks, String error) {

    public static final String FILE = "plugins.json";

    /**
     * One track: what it is, what it asks for, what suits it, and the best free instrument when the suggestions hold
     * none (null otherwise). {@code note} says why a track has no suggestions.
     */
    public record TrackSuggestions(int index, String name, String role, TrackProfile profile, int gmProgram,
                                   List<Recommendation> recommendations, Recommendation freeAlternative, String note) {
    }

    public PluginsDocument {
        tracks = List.copyOf(tracks);
    }

    /** Ranks the top {@code k} entries for every track that plays notes. */
    public static PluginsDocument recommend(String tenant, String job, Score score, String style, Catalog catalog, Preferences preferences,
                                            Map<String, Double> affinity, Ranker ranker, int k) {
        List<TrackSuggestions> tracks = new ArrayList<>();
        for (int i = 0; i < score.tracks().size(); i++) {
            Track track = score.tracks().get(i);
            Optional<TrackProfile> profile = TrackProfile.of(score, track, style);
            if (profile.isEmpty()) {
                tracks.add(new TrackSuggestions(i, track.name(), track.role().id(), null, track.program(), List.of(), null, "nothing to play: no notes"));
                continue;
            }
            List<Recommendation> ranked = ranker.rank(profile.get(), catalog, preferences, affinity, k);
            int program = ranked.isEmpty() ? track.program() : ranked.get(0).gmProgram();
            tracks.add(new TrackSuggestions(i, track.name(), profile.get().role(), profile.get(), program, ranked,
                    ranker.freeAlternative(profile.get(), catalog, preferences, affinity, k).orElse(null),
                    ranked.isEmpty() ? "nothing in the catalog passes the preferences" : null));
        }
        return new PluginsDocument(tenant, job, catalog.version(), style, preferences, tracks, null);
    }

    /** No suggestions, only the reason: every track keeps its own program, so the preview still renders. */
    public static PluginsDocument failed(String tenant, String job, Score score, String reason) {
        List<TrackSuggestions> tracks = new ArrayList<>();
        if (score != null) {
            for (int i = 0; i < score.tracks().size(); i++) {
                Track track = score.tracks().get(i);
                tracks.add(new TrackSuggestions(i, track.name(), track.role().id(), null, track.program(), List.of(), null, null));
            }
        }
        return new PluginsDocument(tenant, job, 0, null, Preferences.NONE, tracks, reason);
    }

    public byte[] toJson() {
        ObjectNode root = CatalogSchema.MAPPER.createObjectNode().put("tenant", tenant).put("job", job).put("catalogVersion", catalogVersion);
        if (style != null) root.put("style", style);
        try {
            root.set("preferences", CatalogSchema.MAPPER.readTree(preferences.toJson()));
            if (error != null) root.put("error", error);
            ArrayNode list = root.putArray("tracks");
            for (TrackSuggestions t : tracks) {
                ObjectNode node = list.addObject().put("index", t.index()).put("name", t.name()).put("role", t.role()).put("gmProgram", t.gmProgram());
                if (t.note() != null) node.put("note", t.note());
                if (t.profile() != null) {
                    TrackProfile p = t.profile();
                    node.putObject("profile").put("register", p.register()).put("medianPitch", p.medianPitch())
                            .put("notesPerBeat", round(p.notesPerBeat())).put("meanBeats", round(p.meanBeats())).put("chordal", p.chordal())
                            .put("tempoBpm", round(p.tempoBpm())).put("articulation", p.articulation().name().toLowerCase(java.util.Locale.ROOT));
                }
                ArrayNode ranked = node.putArray("recommendations");
                for (int r = 0; r < t.recommendations().size(); r++) write(ranked.addObject().put("rank", r + 1), t.recommendations().get(r));
                if (t.freeAlternative() != null) write(node.putObject("freeAlternative"), t.freeAlternative());
            }
            return CatalogSchema.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(ObjectNode item, Recommendation rec) {
        PluginEntry e = rec.entry();
        item.put("id", e.id()).put("name", e.name()).put("vendor", e.vendor()).put("kind", e.kind()).put("category", rec.category())
                .put("score", rec.score()).put("gmProgram", rec.gmProgram()).put("licence", e.licence()).put("priceBand", e.priceBand());
        if (rec.preset() != null) item.put("preset", rec.preset());
        if (e.host() != null) item.put("host", e.host());
        e.formats().forEach(item.putArray("formats")::add);
        e.os().forEach(item.putArray("os")::add);
        rec.reasons().forEach(item.putArray("reasons")::add);
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    /** The program each track plays in the preview, by track index: the General MIDI stand-in of its top suggestion. */
    public Map<Integer, Integer> programs() {
        Map<Integer, Integer> programs = new LinkedHashMap<>();
        for (TrackSuggestions track : tracks) {
            if (track.gmProgram() >= 0 && track.gmProgram() <= 127) programs.put(track.index(), track.gmProgram());
        }
        return programs;
    }

    /**
     * A track of a stored {@code plugins.json}: its role and the ids it was offered (suggestions and the free alternative),
     * or empty when there is no such track.
     */
    public static Optional<Offered> offered(byte[] json, int index) {
        for (JsonNode track : read(json).path("tracks")) {
            if (track.path("index").asInt(-1) != index) continue;
            List<String> ids = new ArrayList<>();
            track.path("recommendations").forEach(r -> ids.add(r.path("id").asText()));
            if (track.has("freeAlternative")) ids.add(track.get("freeAlternative").path("id").asText());
            return Optional.of(new Offered(track.path("role").asText(), ids));
        }
        return Optional.empty();
    }

    /** What one track was offered. */
    public record Offered(String role, List<String> ids) {
    }

    private static JsonNode read(byte[] json) {
        try {
            return CatalogSchema.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException(FILE + " is not JSON: " + e.getMessage(), e);
        }
    }
}
