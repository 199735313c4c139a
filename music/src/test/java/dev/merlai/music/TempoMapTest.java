package dev.merlai.music;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TempoMapTest {

    private static final int Q = Score.TICKS_PER_QUARTER;

    @Test
    void defaultsToOneHundredTwentyBeatsPerMinute() {
        TempoMap tempo = new TempoMap(List.of());
        assertEquals(0.5, tempo.seconds(Q), 1e-12);
    }

    @Test
    void followsEveryChangeAndInvertsExactly() {
        TempoMap tempo = new TempoMap(List.of(TempoMap.Change.ofBpm(0, 60), TempoMap.Change.ofBpm(4 * Q, 120), TempoMap.Change.ofBpm(8 * Q, 240)));
        assertEquals(4.0, tempo.seconds(4 * Q), 1e-9);
        assertEquals(6.0, tempo.seconds(8 * Q), 1e-9);
        assertEquals(6.25, tempo.seconds(9 * Q), 1e-9);
        for (long tick = 0; tick < 12 * Q; tick += 37) {
            assertEquals(tick, tempo.tick(tempo.seconds(tick)));
        }
    }

    @Test
    void theLastOfSeveralChangesAtOneTickWins() {
        TempoMap tempo = new TempoMap(List.of(new TempoMap.Change(0, 400_000), new TempoMap.Change(0, 1_000_000)));
        assertEquals(1, tempo.changes().size());
        assertEquals(60.0, tempo.changeAt(0).bpm(), 1e-9);
    }
}
