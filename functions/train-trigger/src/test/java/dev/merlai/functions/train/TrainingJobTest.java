package dev.merlai.functions.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** What a job is billed when it ends and what its progress tells the tenant (runs that take minutes, which the service specs cannot wait for). */
class TrainingJobTest {

    private static final Instant START = Instant.parse("2026-11-25T15:00:00Z");

    private static TrainingJob trainedFor(long seconds, TrainingState end) {
        TrainingJob queued = TrainingJob.queued("m0123456789abcdef", "acme", "songs", "pop", false, List.of(), "local", START.minusSeconds(5));
        return queued.started(START).ended(end, "", START.plusSeconds(seconds));
    }

    @Test
    void aFinishedJobIsBilledItsTrainingTimeRoundedUpToWholeMinutes() {
        assertEquals(1, trainedFor(20, TrainingState.DONE).billableMinutes());
        assertEquals(3, trainedFor(150, TrainingState.DONE).billableMinutes());
        assertEquals(2, trainedFor(120, TrainingState.DONE).billableMinutes());
    }

    @Test
    void aFailedOrCancelledJobIsBilledOnlyTheWholeMinutesItTrained() {
        assertEquals(0, trainedFor(59, TrainingState.CANCELLED).billableMinutes(), "the first minute is free");
        assertEquals(2, trainedFor(150, TrainingState.CANCELLED).billableMinutes());
        assertEquals(0, trainedFor(10, TrainingState.FAILED).billableMinutes());
        assertEquals(7, trainedFor(7 * 60 + 59, TrainingState.FAILED).billableMinutes());
    }

    @Test
    void aJobThatNeverStartedOrHasNotEndedIsNotBilled() {
        TrainingJob queued = TrainingJob.queued("m0123456789abcdef", "acme", "songs", "pop", false, List.of(), "local", START);
        assertEquals(0, queued.billableMinutes());
        assertEquals(0, queued.ended(TrainingState.FAILED, "rejected", START.plusSeconds(600)).billableMinutes(), "rejected before training");
        assertEquals(0, queued.started(START).billableMinutes(), "still training");
    }

    @Test
    void progressSaysHowFarAndHowLongIsLeftAndNoServerPath() throws Exception {
        TrainingJob running = TrainingJob.queued("m0123456789abcdef", "acme", "songs", "pop", false, List.of(), "local", START).started(START);
        JsonNode line = new ObjectMapper().readTree("{\"event\": \"progress\", \"model\": \"chords\", \"step\": 100, \"steps\": 400, \"fraction\": 0.25}");
        JsonNode shown = running.withProgress(line, START.plusSeconds(30)).toNode().get("progress");
        assertEquals(400, shown.get("steps").asInt());
        assertEquals(30, shown.get("elapsedSeconds").asLong());
        assertEquals(90, shown.get("remainingSeconds").asLong(), "a quarter done in 30 s: 90 s to go");

        JsonNode completed = new ObjectMapper().readTree("{\"event\": \"completed\", \"seconds\": 95.2, \"out\": \"/tmp/merlai-train-m01/model\"}");
        assertFalse(running.withProgress(completed, START.plusSeconds(96)).toNode().get("progress").has("out"), "the server's folders are not the tenant's business");
    }
}
