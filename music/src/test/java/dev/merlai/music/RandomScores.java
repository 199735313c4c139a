package dev.merlai.music;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Random but valid scores for property tests: every reader must read back what its writer wrote. */
public final class RandomScores {

    private static final String[] CHORDS = {"C:maj", "A:min7", "F#:min7/5", "Bb:sus4(b7)", "Eb:maj7", "G:7", "B:dim", "N"};

    private RandomScores() {
    }

    public static Score next(Random random) {
        int q = Score.TICKS_PER_QUARTER;
        int bars = 1 + random.nextInt(12);
        long end = (long) bars * 4 * q;
        List<TempoMap.Change> tempo = new ArrayList<>();
        tempo.add(new TempoMap.Change(0, 300_000 + random.nextInt(700_000)));
        for (int i = random.nextInt(3); i > 0; i--) tempo.add(new TempoMap.Change(random.nextInt((int) end), 300_000 + random.nextInt(700_000)));

        int[][] meters = {{4, 4}, {3, 4}, {6, 8}, {2, 4}, {5, 8}, {2, 2}};
        int[] first = meters[random.nextInt(meters.length)];
        TimeSignature opening = new TimeSignature(0, first[0], first[1]);
        long pickup = random.nextInt(3) == 0 ? opening.beatTicks() * (1 + random.nextInt(first[0] - 1 > 0 ? first[0] - 1 : 1)) : 0;
        if (pickup >= opening.barTicks()) pickup = 0;
        List<TimeSignature> signatures = new ArrayList<>(List.of(opening));
        if (random.nextBoolean()) {
            int[] second = meters[random.nextInt(meters.length)];
            signatures.add(new TimeSignature(pickup + opening.barTicks() * (1 + random.nextInt(4)), second[0], second[1]));
        }
        MeterMap meter = new MeterMap(signatures, pickup);

        List<KeySignature> keys = new ArrayList<>();
        if (random.nextBoolean()) keys.add(new KeySignature(0, random.nextInt(12), random.nextBoolean() ? KeySignature.Mode.MAJOR : KeySignature.Mode.MINOR));

        List<ChordSpan> chords = new ArrayList<>();
        if (random.nextBoolean()) {
            for (long tick = 0; tick + 2 * q <= end; tick += 2 * q) chords.add(new ChordSpan(tick, 2 * q, Chord.parse(CHORDS[random.nextInt(CHORDS.length)])));
        }

        List<Track> tracks = new ArrayList<>();
        Role[] roles = {Role.BASS, Role.PIANO, Role.COUNTER_MELODY};
        int trackCount = 1 + random.nextInt(3);
        for (int t = 0; t < trackCount; t++) {
            Role role = t == 0 ? Role.MELODY : roles[random.nextInt(roles.length)];
            List<Note> notes = new ArrayList<>();
            long tick = 0;
            while (tick < end) {
                long duration = q / 4 * (1 + random.nextInt(8));
                notes.add(new Note(36 + random.nextInt(48), 1 + random.nextInt(127), tick, duration));
                tick += role == Role.MELODY ? duration + q / 4 * random.nextInt(3) : q / 4 * (1 + random.nextInt(4));
            }
            // One note per pitch at a time, as any instrument plays it.
            List<Note> clean = new ArrayList<>();
            for (Note note : notes) {
                boolean overlaps = clean.stream().anyMatch(n -> n.pitch() == note.pitch() && n.end() > note.onset());
                if (!overlaps) clean.add(note);
            }
            tracks.add(new Track(role == Role.MELODY ? "MELODY" : role.trackName() + t, role, random.nextInt(128), t, clean));
        }
        return new Score(new TempoMap(tempo), meter, keys, chords, tracks);
    }
}
