package dev.merlai.plugins;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Ranks catalog entries for one track. The score adds up what a musician weighs: how naturally the entry's category
 * plays the track's role in the song's style ({@code role-fit.json}), whether the track's register is in its range,
 * whether its attack or sustain suits the track's density, note lengths and tempo, whether it is made for the style,
 * and the tenant's own feedback. Hard filters (formats, OS, free only) are applied before scoring, so nothing ranked
 * crosses them. With no feedback the order depends on nothing but the inputs (ties go by id).
 */
public final class Ranker {

    static final double SECONDARY_CATEGORY = 0.9;
    static final double REGISTER_FIT = 0.1, REGISTER_MISS = -0.25;
    static final double ARTICULATION_FIT = 0.1, ARTICULATION_MISS = -0.15;
    static final double STYLE_FIT = 0.1;
    /** A dedicated instrument (one category) before a workstation that also covers the category, at equal fit. */
    static final double SPECIALIST = 0.04;
    /** A real instrument before a General MIDI program when both fit. */
    static final double FALLBACK = -0.25;
    /** Feedback can lift an entry by at most this much and sink it by at most {@link #MOST_FEEDBACK_DOWN}. */
    static final double MOST_FEEDBACK_UP = 0.6, MOST_FEEDBACK_DOWN = -0.9;

    /** The General MIDI program standing in for a category when an entry plays something other than its main one. */
    private static final Map<String, Integer> CATEGORY_PROGRAM = Map.ofEntries(
            Map.entry("acoustic-piano", 0), Map.entry("electric-piano", 4), Map.entry("keys", 7), Map.entry("mallets", 11),
            Map.entry("organ", 16), Map.entry("acoustic-guitar", 25), Map.entry("electric-guitar", 27), Map.entry("acoustic-bass", 32),
            Map.entry("electric-bass", 33), Map.entry("synth-bass", 38), Map.entry("solo-strings", 40), Map.entry("plucked", 46),
            Map.entry("percussion", 47), Map.entry("string-ensemble", 48), Map.entry("choir", 52), Map.entry("brass", 61),
            Map.entry("woodwinds", 73), Map.entry("synth-lead", 81), Map.entry("synth-pad", 89), Map.entry("synth-keys", 90),
            Map.entry("drums", 0), Map.entry("sound-effects", 98));

    private final Map<String, Map<String, Map<String, Double>>> fit;

    private Ranker(Map<String, Map<String, Map<String, Double>>> fit) {
        this.fit = fit;
    }

    /** The ranker with the shipped role fit table. */
    public static Ranker standard() {
        try (InputStream in = Ranker.class.getResourceAsStream("role-fit.json")) {
            JsonNode root = CatalogSchema.MAPPER.readTree(in);
            Map<String, Map<String, Map<String, Double>>> fit = new HashMap<>();
            root.fields().forEachRemaining(role -> {
                if (role.getKey().startsWith("_")) return;
                Map<String, Map<String, Double>> styles = new HashMap<>();
                role.getValue().fields().forEachRemaining(style -> {
                    Map<String, Double> categories = new HashMap<>();
                    style.getValue().fields().forEachRemaining(c -> categories.put(c.getKey(), c.getValue().asDouble()));
                    styles.put(style.getKey(), categories);
                });
                fit.put(role.getKey(), styles);
            });
            return new Ranker(fit);
        } catch (IOException e) {
            throw new UncheckedIOException("role-fit.json is missing from the jar", e);
        }
    }

    /**
     * The best {@code k} entries for the track that pass the tenant's filters.
     *
     * @param affinity the tenant's feedback, {@link Feedback#key(String, String)} to score change; empty for none
     */
    public List<Recommendation> rank(TrackProfile track, Catalog catalog, Preferences preferences, Map<String, Double> affinity, int k) {
        List<Recommendation> all = new ArrayList<>();
        for (PluginEntry entry : catalog.entries()) {
            if (entry.playsNotes() && preferences.admits(entry)) all.add(score(track, entry, affinity));
        }
        all.sort(Comparator.comparingDouble(Recommendation::score).reversed()
                .thenComparing(r -> r.entry().isFallback())
                .thenComparing(r -> r.entry().id()));
        return List.copyOf(all.subList(0, Math.min(k, all.size())));
    }

    /** The best free instrument (no General MIDI fallback) for the track, when the top {@code k} hold none. */
    public java.util.Optional<Recommendation> freeAlternative(TrackProfile track, Catalog catalog, Preferences preferences,
                                                              Map<String, Double> affinity, int k) {
        List<Recommendation> ranked = rank(track, catalog, preferences, affinity, Integer.MAX_VALUE);
        if (ranked.stream().limit(k).anyMatch(r -> r.entry().isFree() && !r.entry().isFallback())) return java.util.Optional.empty();
        return ranked.stream().skip(k).filter(r -> r.entry().isFree() && !r.entry().isFallback()).findFirst();
    }

    /** How naturally a category plays the role in the style: the style's own value, else lied's classical, else the role's default. */
    double fit(String role, String style, String category) {
        Map<String, Map<String, Double>> styles = fit.getOrDefault(role, fit.get("melody"));
        for (String s : new String[]{style, "lied".equals(style) ? "classical" : null, "default"}) {
            if (s != null && styles.containsKey(s) && styles.get(s).containsKey(category)) return styles.get(s).get(category);
        }
        return 0;
    }

    private Recommendation score(TrackProfile track, PluginEntry entry, Map<String, Double> affinity) {
        List<String> reasons = new ArrayList<>();
        String category = entry.primaryCategory();
        double best = -1;
        for (String c : entry.categories()) {
            double f = fit(track.role(), track.style(), c) * (c.equals(entry.primaryCategory()) ? 1 : SECONDARY_CATEGORY);
            if (f > best) {
                best = f;
                category = c;
            }
        }
        double score = best;
        reasons.add(roleReason(track, category, best));

        String register = track.register();
        if (entry.registers().contains(register)) {
            score += REGISTER_FIT;
            reasons.add("register: " + register + " (median " + track.medianNoteName() + "), where it sounds best");
        } else {
            score += REGISTER_MISS;
            reasons.add("register: " + register + " (median " + track.medianNoteName() + "), outside its best range");
        }

        String density = String.format(Locale.ROOT, "%.1f notes a beat, %.2f beats long on average, %.0f bpm", track.notesPerBeat(), track.meanBeats(), track.tempoBpm());
        switch (track.articulation()) {
            case QUICK -> {
                boolean quick = entry.articulations().stream().anyMatch(a -> a.equals("short") || a.equals("plucked") || a.equals("percussive"));
                score += quick ? ARTICULATION_FIT : ARTICULATION_MISS;
                reasons.add("busy, short notes (" + density + "): " + (quick ? "its quick attack keeps them clear" : "it is made for long notes and would blur them"));
            }
            case SUSTAINED -> {
                boolean holds = entry.articulations().stream().anyMatch(a -> a.equals("sustained") || a.equals("legato"));
                score += holds ? ARTICULATION_FIT : ARTICULATION_MISS;
                reasons.add("long, held notes (" + density + "): " + (holds ? "it sustains them" : "it decays before they end"));
            }
            case MIXED -> reasons.add("moderate density (" + density + "): any attack works");
        }

        if (entry.styles().contains(track.style()) || ("lied".equals(track.style()) && entry.styles().contains("classical"))) {
            score += STYLE_FIT;
            reasons.add("made for " + track.style());
        }
        if (entry.categories().size() == 1 && !entry.isFallback()) {
            score += SPECIALIST;
            reasons.add("a dedicated " + category.replace('-', ' ') + " instrument");
        }
        if (entry.isFallback()) {
            score += FALLBACK;
            reasons.add("General MIDI fallback: needs no plugin");
        }
        double feedback = Math.max(MOST_FEEDBACK_DOWN, Math.min(MOST_FEEDBACK_UP, affinity.getOrDefault(Feedback.key(track.role(), entry.id()), 0.0)));
        if (feedback != 0) {
            score += feedback;
            reasons.add(String.format(Locale.ROOT, "your feedback on %s tracks %s it by %.2f", track.role(), feedback > 0 ? "raised" : "lowered", Math.abs(feedback)));
        }

        String matched = category;
        String preset = entry.presets().stream().filter(p -> p.category().equals(matched)).map(PluginEntry.Preset::name).findFirst().orElse(null);
        return new Recommendation(entry, category, preset, Math.round(score * 1000) / 1000.0, program(entry, category, register), reasons);
    }

    /**
     * The General MIDI program that stands in for the entry playing the category: a fallback's own program; for solo
     * strings, woodwinds and brass in the low register, the low instrument of the family (cello, clarinet, trombone);
     * the entry's own stand-in when it plays its main category; otherwise the category's.
     */
    static int program(PluginEntry entry, String category, String register) {
        if (entry.isFallback()) return entry.gmProgram();
        if ("low".equals(register)) {
            Integer lowInstrument = switch (category) {
                case "solo-strings" -> 42;
                case "woodwinds" -> 71;
                case "brass" -> 57;
                default -> null;
            };
            if (lowInstrument != null) return lowInstrument;
        }
        if (category.equals(entry.primaryCategory()) && entry.gmProgram() != null) return entry.gmProgram();
        return CATEGORY_PROGRAM.getOrDefault(category, 0);
    }

    private static String roleReason(TrackProfile track, String category, double fit) {
        String part = switch (track.role()) {
            case "melody" -> "the melody";
            case "counter-melody" -> "a counter-melody";
            case "piano" -> "a piano accompaniment" + (track.chordal() ? " in chords" : "");
            case "bass" -> "a bass line";
            case "drums" -> "a drum part";
            default -> "a " + track.role() + " part";
        };
        String how = fit >= 0.9 ? "a natural choice" : fit >= 0.7 ? "a good choice" : fit >= 0.4 ? "a possible choice" : "an unusual choice";
        return "role: " + part + " in " + track.style() + "; " + category.replace('-', ' ') + " is " + how + " for it";
    }
}
