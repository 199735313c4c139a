package dev.merlai.plugins;

import com.fasterxml.jackson.databind.JsonNode;
import dev.merlai.music.MeterMap;
import dev.merlai.music.Note;
import dev.merlai.music.Role;
import dev.merlai.music.Score;
import dev.merlai.music.TempoMap;
import dev.merlai.music.Track;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A labelled track situation of {@code check-set.json}, turned into a real 8-bar track so the ranking sees it the
 * way it sees an arrangement: through {@link TrackProfile#of}.
 */
record Situation(String description, String role, String register, String density, String length, boolean chords, double bpm,
                 String style, List<String> acceptable) {

    static List<Situation> checkSet() {
        try (InputStream in = Situation.class.getResourceAsStream("check-set.json")) {
            List<Situation> all = new ArrayList<>();
            for (JsonNode s : CatalogSchema.MAPPER.readTree(in).get("situations")) {
                List<String> acceptable = new ArrayList<>();
                s.get("acceptable").forEach(a -> acceptable.add(a.asText()));
                all.add(new Situation(s.get("situation").asText(), s.get("role").asText(), s.get("register").asText(), s.get("density").asText(),
                        s.get("length").asText(), s.get("chords").asBoolean(), s.get("bpm").asDouble(), s.get("style").asText(), acceptable));
            }
            return all;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Role musicRole() {
        return switch (role) {
            case "melody" -> Role.MELODY;
            case "counter-melody" -> Role.COUNTER_MELODY;
            case "piano" -> Role.PIANO;
            case "bass" -> Role.BASS;
            case "drums" -> Role.DRUMS;
            default -> Role.OTHER;
        };
    }

    /** 32 beats of notes around the register's centre, at the density and note length asked for. */
    Score score() {
        int q = Score.TICKS_PER_QUARTER;
        int centre = switch (register) {
            case "low" -> 40;
            case "high" -> 79;
            default -> 62;
        };
        double gapBeats = switch (density) {
            case "sparse" -> 2;
            case "busy" -> 1 / 3.0;
            default -> 1;
        };
        double lengthShare = switch (length) {
            case "long" -> 1.0;
            case "short" -> 0.35;
            default -> 0.8;
        };
        int[] contour = {0, 2, 4, 2, 5, 4, 2, -1};
        List<Note> notes = new ArrayList<>();
        int step = 0;
        for (double beat = 0; beat < 32 - 1e-9; beat += gapBeats, step++) {
            long onset = Math.round(beat * q);
            long duration = Math.max(1, Math.round(gapBeats * lengthShare * q));
            int pitch = centre + contour[step % contour.length];
            notes.add(new Note(pitch, 90, onset, duration));
            if (chords) {
                notes.add(new Note(pitch + 4, 80, onset, duration));
                notes.add(new Note(pitch + 7, 80, onset, duration));
            }
        }
        Track track = new Track(role.toUpperCase(), musicRole(), 0, musicRole() == Role.DRUMS ? Track.DRUM_CHANNEL : 1, notes);
        return new Score(TempoMap.constant(bpm), MeterMap.of(4, 4), List.of(), List.of(), List.of(track));
    }

    TrackProfile profile() {
        Score score = score();
        return TrackProfile.of(score, score.tracks().get(0), style).orElseThrow();
    }
}
