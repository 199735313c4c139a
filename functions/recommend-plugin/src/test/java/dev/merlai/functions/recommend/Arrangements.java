package dev.merlai.functions.recommend;

import dev.merlai.music.ChordSpan;
import dev.merlai.music.Chord;
import dev.merlai.music.Note;
import dev.merlai.music.Role;
import dev.merlai.music.Score;
import dev.merlai.music.Track;
import dev.merlai.music.json.ScoreJson;
import dev.merlai.storage.JobRecord;
import dev.merlai.storage.JobState;
import dev.merlai.storage.JobStore;
import dev.merlai.storage.StorageLayout;
import dev.merlai.testing.S3ProxyResource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Completed jobs in the test S3 server, as {@code complete} leaves them: job.json in state rendering and arrangement.json. */
final class Arrangements {

    static final int Q = Score.TICKS_PER_QUARTER;
    /** The jobs in the running test S3 server (each Quarkus test application starts its own). */
    static JobStore jobs() {
        return new JobStore(S3ProxyResource.store());
    }

    private Arrangements() {
    }

    /** Melody, piano chords, a bass line and the chord-label track, 8 bars at 100 bpm. */
    static Score song() {
        List<Note> melody = new ArrayList<>(), piano = new ArrayList<>(), bass = new ArrayList<>();
        for (int beat = 0; beat < 32; beat++) {
            melody.add(new Note(67 + (beat % 4) * 2, 100, beat * Q, Q - 40));
            if (beat % 2 == 0) for (int pitch : new int[]{55, 60, 64}) piano.add(new Note(pitch, 80, beat * Q, 2 * Q - 40));
            bass.add(new Note(36 + (beat % 2) * 7, 90, beat * Q, Q - 60));
        }
        return Score.of(List.of(
                new Track("MELODY", Role.MELODY, 0, 0, melody),
                new Track("PIANO", Role.PIANO, 0, 1, piano),
                new Track("BASS", Role.BASS, 33, 2, bass),
                new Track("CHORDS", Role.CHORDS, 0, 3, List.of())))
                .withChords(List.of(new ChordSpan(0, 32 * Q, Chord.parse("C:maj"))));
    }

    static void arranged(String tenant, String job) {
        arranged(tenant, job, ScoreJson.write(song()));
    }

    static void arranged(String tenant, String job, byte[] arrangementJson) {
        jobs().save(JobRecord.queued(job, tenant, "inline", 1, Instant.now())
                .completed("test-model", List.of(StorageLayout.ARRANGEMENT_JSON), JobState.RENDERING, Instant.now()));
        jobs().putResult(tenant, job, StorageLayout.ARRANGEMENT_JSON, arrangementJson, "application/json");
    }
}
