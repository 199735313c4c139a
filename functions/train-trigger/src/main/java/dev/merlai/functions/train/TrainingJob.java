package dev.merlai.functions.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The content of {@code tenants/<tenant>/models/<model>/training.json}: one fine-tuning job and, once done, the
 * model it made. Training time is recorded here ({@code trainingSeconds}, {@code trainingMinutes}); the usage ledger
 * bills {@link #billableMinutes()} of it.
 *
 * @param model      the model id, also the job id
 * @param tenant     the tenant that owns it
 * @param set        the training set it was made from
 * @param style      the base style ({@code pop} or {@code lied})
 * @param quick      whether it ran with quick settings
 * @param state      where the job is
 * @param createdAt  when it was accepted
 * @param updatedAt  when it last changed
 * @param startedAt  when training started (null before)
 * @param pieces     the validation report, one entry per file of the set
 * @param progress   the latest progress report of the training process (step of steps, share done, time left, epoch, loss,
 *                   validation metrics)
 * @param error      why it failed or was cancelled; empty otherwise
 * @param launcher   where it ran: {@code local} (a process) or {@code kubernetes} (a Job)
 * @param trainingSeconds wall-clock seconds from start to end of training (0 while it runs)
 */
public record TrainingJob(String model, String tenant, String set, String style, boolean quick, TrainingState state,
                          Instant createdAt, Instant updatedAt, Instant startedAt, List<PieceReport> pieces, JsonNode progress,
                          String error, String launcher, double trainingSeconds) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public TrainingJob {
        pieces = List.copyOf(pieces);
        progress = progress == null ? NullNode.getInstance() : progress;
    }

    static TrainingJob queued(String model, String tenant, String set, String style, boolean quick, List<PieceReport> pieces,
                              String launcher, Instant now) {
        return new TrainingJob(model, tenant, set, style, quick, TrainingState.QUEUED, now, now, null, pieces, null, "", launcher, 0);
    }

    TrainingJob started(Instant now) {
        return new TrainingJob(model, tenant, set, style, quick, TrainingState.TRAINING, createdAt, now, now, pieces, progress, "", launcher, 0);
    }

    /**
     * A progress line of the training process as the tenant sees it: without the server's paths ({@code out}), and with
     * the time left estimated from the share done so far ({@code fraction}) and the time it took
     * ({@code elapsedSeconds}, {@code remainingSeconds}).
     */
    TrainingJob withProgress(JsonNode line, Instant now) {
        ObjectNode shown = line.deepCopy();
        shown.remove("out");
        double done = line.path("fraction").asDouble(0);
        if (startedAt != null) {
            double elapsed = Duration.between(startedAt, now).toMillis() / 1000.0;
            shown.put("elapsedSeconds", Math.round(elapsed));
            if (done > 0) shown.put("remainingSeconds", Math.round(elapsed * (1 - Math.min(done, 1)) / done));
        }
        return new TrainingJob(model, tenant, set, style, quick, state, createdAt, now, startedAt, pieces, shown, error, launcher, trainingSeconds);
    }

    /** A final state; the training time is what ran between start and now. */
    TrainingJob ended(TrainingState newState, String reason, Instant now) {
        double seconds = startedAt == null ? 0 : Duration.between(startedAt, now).toMillis() / 1000.0;
        return new TrainingJob(model, tenant, set, style, quick, newState, createdAt, now, startedAt, pieces, progress, reason, launcher, seconds);
    }

    /** Billable minutes: training seconds / 60, rounded up to a hundredth. */
    public double trainingMinutes() {
        return Math.ceil(trainingSeconds / 60.0 * 100) / 100;
    }

    /**
     * The whole minutes billed for the job: a finished one its training time rounded up, a failed or cancelled one the
     * whole minutes it trained (rounded down: a run that breaks or is stopped in its first minute is free), a job that
     * has not ended nothing.
     */
    public long billableMinutes() {
        return switch (state) {
            case DONE -> (long) Math.ceil(trainingSeconds / 60.0);
            case FAILED, CANCELLED -> (long) Math.floor(trainingSeconds / 60.0);
            default -> 0;
        };
    }

    public ObjectNode toNode() {
        ObjectNode node = MAPPER.createObjectNode()
                .put("model", model).put("tenant", tenant).put("set", set).put("style", style).put("quick", quick)
                .put("state", state.id()).put("createdAt", createdAt.toString()).put("updatedAt", updatedAt.toString())
                .put("startedAt", startedAt == null ? null : startedAt.toString());
        var list = node.putArray("pieces");
        for (PieceReport piece : pieces) {
            list.addObject().put("file", piece.file()).put("accepted", piece.accepted()).put("bars", piece.bars()).put("reason", piece.reason());
        }
        node.set("progress", progress);
        return node.put("error", error).put("launcher", launcher).put("trainingSeconds", trainingSeconds).put("trainingMinutes", trainingMinutes());
    }

    public byte[] toJson() {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(toNode());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static TrainingJob fromJson(byte[] json) {
        try {
            JsonNode node = MAPPER.readTree(json);
            List<PieceReport> pieces = new ArrayList<>();
            for (JsonNode p : node.path("pieces")) {
                pieces.add(new PieceReport(p.path("file").asText(), p.path("accepted").asBoolean(), p.path("bars").asInt(), p.path("reason").asText()));
            }
            return new TrainingJob(node.get("model").asText(), node.get("tenant").asText(), node.path("set").asText(), node.path("style").asText(),
                    node.path("quick").asBoolean(), TrainingState.fromId(node.get("state").asText()),
                    Instant.parse(node.get("createdAt").asText()), Instant.parse(node.get("updatedAt").asText()),
                    node.hasNonNull("startedAt") ? Instant.parse(node.get("startedAt").asText()) : null, pieces, node.get("progress"),
                    node.path("error").asText(), node.path("launcher").asText(), node.path("trainingSeconds").asDouble());
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("training.json is unreadable: " + e.getMessage(), e);
        }
    }
}
