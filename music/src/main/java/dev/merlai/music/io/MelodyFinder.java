package dev.merlai.music.io;

import dev.merlai.music.Note;
import dev.merlai.music.Role;
import dev.merlai.music.Track;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Decides which track of a read score holds the melody, and gives every track its role. Shared by all readers.
 *
 * <p>The melody is, in this order:
 * <ol>
 *   <li>the user's choice ({@link ReadOptions#melodyPart()}): a track name (case-insensitive, surrounding
 *       blanks ignored) or a 1-based track index; a choice that names no track is a
 *       {@link ScoreReadException.Kind#NO_MELODY} error that lists the tracks;</li>
 *   <li>the first non-drum track with notes whose name contains a melody word as a whole word,
 *       case-insensitive: melody, melodie, melodia, voice, vocal(s), vox, lead, singer, singstimme, tune,
 *       solo, soprano, canto, gesang;</li>
 *   <li>otherwise the heuristic of {@link #score}: among non-drum tracks with at least {@link #MIN_NOTES}
 *       notes (or, when no track has that many, among all non-drum tracks with notes), the one with the highest
 *       {@code meanPitch + MONOPHONY_WEIGHT * monophonicFraction}.</li>
 * </ol>
 * A track is a drum track when its channel is 9 or its name says drums. When no track has pitched notes there
 * is no melody: {@link #find} returns empty and the caller decides whether that is an error.
 */
public final class MelodyFinder {

    /** The fewest notes a track needs to be a heuristic candidate (unless no track has that many). */
    public static final int MIN_NOTES = 8;
    /** Semitones added to the mean pitch of a fully monophonic track (an octave). */
    public static final double MONOPHONY_WEIGHT = 12.0;

    private static final Pattern MELODY_NAME = wholeWords(
            "melody", "melodie", "melodia", "voice", "vocal", "vocals", "vox", "lead", "singer", "singstimme",
            "tune", "solo", "soprano", "canto", "gesang");
    private static final Pattern BASS_NAME = wholeWords("bass", "bassline", "basso", "contrabass");
    private static final Pattern PIANO_NAME = wholeWords("piano", "pianoforte", "klavier", "keys");
    private static final Pattern COUNTER_NAME = wholeWords("bridge", "counter", "countermelody", "counter-melody");
    private static final Pattern DRUMS_NAME = wholeWords("drums", "drum", "percussion", "kit");
    private static final Pattern CHORDS_NAME = wholeWords("chords", "chord");

    /**
     * The melody track and why it was chosen.
     *
     * @param index  0-based index into the track list
     * @param reason for a person, e.g. {@code track 1 "MELODY" (named like a melody)}; the track number in it is
     *               1-based
     */
    public record Choice(int index, String reason) {
    }

    /**
     * Tracks with their roles, and the account of the melody choice.
     *
     * @param tracks       the tracks in their original order; the melody (if any) has {@link Role#MELODY}
     * @param melodyChoice the {@link Choice#reason()}, or empty when there is no melody
     */
    public record Assignment(List<Track> tracks, String melodyChoice) {
    }

    private MelodyFinder() {
    }

    /**
     * Finds the melody and assigns every track its role ({@link #find} then {@link #roleByName}).
     *
     * @param tracks     the tracks as read; their roles are replaced, names, programs and channels kept
     * @param userChoice a track name or 1-based index, or null/blank to let the finder decide
     */
    public static Assignment assign(List<Track> tracks, String userChoice) throws ScoreReadException {
        Optional<Choice> choice = find(tracks, userChoice);
        List<Track> result = new ArrayList<>(tracks.size());
        for (int i = 0; i < tracks.size(); i++) {
            Track track = tracks.get(i);
            boolean melody = choice.isPresent() && choice.get().index() == i;
            Role role = melody ? Role.MELODY : roleByName(track.name(), track.channel());
            result.add(track.role() == role ? track : track.withRole(role, track.name()));
        }
        return new Assignment(result, choice.map(Choice::reason).orElse(""));
    }

    /**
     * Finds the melody track.
     *
     * @param tracks     the tracks to choose from
     * @param userChoice a track name (case-insensitive) or a 1-based index, or null/blank for none
     * @return the choice; empty when there is no user choice and no track has pitched notes
     * @throws ScoreReadException NO_MELODY when the user's choice names no track
     */
    public static Optional<Choice> find(List<Track> tracks, String userChoice) throws ScoreReadException {
        if (userChoice != null && !userChoice.isBlank()) return Optional.of(userChoice(tracks, userChoice.trim()));
        for (int i = 0; i < tracks.size(); i++) {
            Track track = tracks.get(i);
            if (!isDrums(track) && !track.notes().isEmpty() && MELODY_NAME.matcher(track.name()).find()) {
                return Optional.of(new Choice(i, describe(i, track) + " (named like a melody)"));
            }
        }
        int best = -1;
        double bestScore = Double.NEGATIVE_INFINITY;
        boolean anyLargeEnough = tracks.stream().anyMatch(t -> !isDrums(t) && t.notes().size() >= MIN_NOTES);
        int minNotes = anyLargeEnough ? MIN_NOTES : 1;
        for (int i = 0; i < tracks.size(); i++) {
            Track track = tracks.get(i);
            if (isDrums(track) || track.notes().size() < minNotes) continue;
            double score = score(track);
            if (score > bestScore) {
                bestScore = score;
                best = i;
            }
        }
        if (best < 0) return Optional.empty();
        Track chosen = tracks.get(best);
        return Optional.of(new Choice(best, String.format(Locale.ROOT,
                "%s (highest mostly-monophonic track: mean pitch %.1f, monophonic %.0f%%)",
                describe(best, chosen), meanPitch(chosen), 100 * monophonicFraction(chosen))));
    }

    /**
     * The heuristic melody score of a track: {@code meanPitch + MONOPHONY_WEIGHT * monophonicFraction}, where
     * {@code meanPitch} is {@link #meanPitch} (MIDI key numbers) and {@code monophonicFraction} is
     * {@link #monophonicFraction} (0..1). A fully monophonic line thus outranks a chordal part up to an octave
     * higher.
     */
    public static double score(Track track) {
        return meanPitch(track) + MONOPHONY_WEIGHT * monophonicFraction(track);
    }

    /** The mean MIDI key number of the track's notes, each weighted by its duration in ticks; 0 without notes. */
    public static double meanPitch(Track track) {
        double weighted = 0;
        double total = 0;
        for (Note note : track.notes()) {
            weighted += (double) note.pitch() * note.duration();
            total += note.duration();
        }
        return total == 0 ? 0 : weighted / total;
    }

    /**
     * The fraction (0..1) of the time in which the track sounds at all during which at most one of its notes
     * sounds; 0 without notes. Silence counts for neither side.
     */
    public static double monophonicFraction(Track track) {
        List<Note> notes = track.notes();
        if (notes.isEmpty()) return 0;
        long[] starts = new long[notes.size()];
        long[] ends = new long[notes.size()];
        for (int i = 0; i < notes.size(); i++) {
            starts[i] = notes.get(i).onset();
            ends[i] = notes.get(i).end();
        }
        Arrays.sort(starts);
        Arrays.sort(ends);
        long sounding = 0, single = 0, previous = 0;
        int active = 0, s = 0, e = 0;
        while (s < starts.length || e < ends.length) {
            boolean endFirst = s >= starts.length || (e < ends.length && ends[e] <= starts[s]);
            long tick = endFirst ? ends[e] : starts[s];
            if (active > 0) sounding += tick - previous;
            if (active == 1) single += tick - previous;
            previous = tick;
            if (endFirst) {
                active--;
                e++;
            } else {
                active++;
                s++;
            }
        }
        return sounding == 0 ? 0 : (double) single / sounding;
    }

    /**
     * The role a track gets from its name and channel when it is not the melody: DRUMS for channel 9 or a name
     * with drums/drum/percussion/kit, BASS, PIANO (piano/klavier/keys), COUNTER_MELODY (bridge/counter),
     * CHORDS, each matched as a whole word, case-insensitive; otherwise OTHER.
     *
     * @param name    the track name
     * @param channel the MIDI channel, 0..15
     */
    public static Role roleByName(String name, int channel) {
        if (channel == Track.DRUM_CHANNEL || DRUMS_NAME.matcher(name).find()) return Role.DRUMS;
        if (BASS_NAME.matcher(name).find()) return Role.BASS;
        if (PIANO_NAME.matcher(name).find()) return Role.PIANO;
        if (COUNTER_NAME.matcher(name).find()) return Role.COUNTER_MELODY;
        if (CHORDS_NAME.matcher(name).find()) return Role.CHORDS;
        return Role.OTHER;
    }

    private static Choice userChoice(List<Track> tracks, String choice) throws ScoreReadException {
        for (int i = 0; i < tracks.size(); i++) {
            if (tracks.get(i).name().trim().equalsIgnoreCase(choice)) {
                return new Choice(i, describe(i, tracks.get(i)) + " (chosen by the user)");
            }
        }
        if (choice.matches("[0-9]{1,9}")) {
            int number = Integer.parseInt(choice);
            if (number >= 1 && number <= tracks.size()) {
                return new Choice(number - 1, describe(number - 1, tracks.get(number - 1)) + " (chosen by the user)");
            }
        }
        List<String> choices = new ArrayList<>();
        for (int i = 0; i < tracks.size(); i++) choices.add((i + 1) + " \"" + tracks.get(i).name() + "\"");
        throw new ScoreReadException(ScoreReadException.Kind.NO_MELODY, "",
                "no track is named or numbered '" + choice + "'; the tracks are: "
                        + (choices.isEmpty() ? "(none)" : String.join(", ", choices)));
    }

    private static boolean isDrums(Track track) {
        return roleByName(track.name(), track.channel()) == Role.DRUMS;
    }

    private static String describe(int index, Track track) {
        return "track " + (index + 1) + " \"" + track.name() + "\"";
    }

    private static Pattern wholeWords(String... words) {
        return Pattern.compile("(?<![\\p{L}\\p{N}])(" + String.join("|", words) + ")(?![\\p{L}\\p{N}])",
                Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }
}
