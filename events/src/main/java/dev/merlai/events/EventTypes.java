package dev.merlai.events;

import java.util.List;

/**
 * Every CloudEvent type in Merlai (reverse-DNS, {@code dev.merlai.<noun>.<past tense>}). The functions map
 * their triggers and responses from these constants, and the deployment tests check the Knative Triggers
 * against them, so the two cannot drift apart.
 */
public final class EventTypes {

    /** A melody landed in a tenant's inbox (S3 notification or local watcher); {@code complete} consumes it. */
    public static final String MELODY_UPLOADED = "dev.merlai.melody.uploaded";
    /** {@code complete} finished an arrangement; {@code recommend-plugin} consumes it. */
    public static final String ARRANGEMENT_COMPLETED = "dev.merlai.arrangement.completed";
    /**
     * {@code recommend-plugin} wrote {@code plugins.json} (or, when it could not rank, said why there); {@code render-midi}
     * consumes it and plays each track with the General MIDI stand-in of its top suggestion.
     */
    public static final String PLUGINS_RECOMMENDED = "dev.merlai.plugins.recommended";
    /** {@code render-midi} wrote the MIDI, audio preview and piano roll. */
    public static final String RENDER_COMPLETED = "dev.merlai.render.completed";
    /**
     * One billable record (a job's bars, audio seconds or training minutes), in the shape metering systems such
     * as OpenMeter ingest: subject = tenant, id = tenant/job/unit (so a re-import is deduplicated). Exported by
     * {@code GET /v1/usage/events}; not sent through the broker.
     */
    public static final String USAGE_RECORDED = "dev.merlai.usage.recorded";
    public static final String USAGE_SOURCE = "/merlai/usage";

    /** A tenant asks for a personalised model from a training set ({@code {tenant, set, style, quick}}); {@code train-trigger} consumes it. */
    public static final String TRAINING_REQUESTED = "dev.merlai.training.requested";
    /** A training job moved on: accepted (with the validation report), then each epoch's loss and validation metrics. */
    public static final String TRAINING_PROGRESS = "dev.merlai.training.progress";
    /** A personalised model is ready under {@code tenants/<tenant>/models/<model>/}. */
    public static final String TRAINING_COMPLETED = "dev.merlai.training.completed";
    /** A training job ended without a model: a rejected set, a failed run, or a cancel. */
    public static final String TRAINING_FAILED = "dev.merlai.training.failed";

    /** The source attribute of events each function emits. */
    public static final String COMPLETE_SOURCE = "/merlai/functions/complete";
    public static final String RECOMMEND_SOURCE = "/merlai/functions/recommend-plugin";
    public static final String RENDER_SOURCE = "/merlai/functions/render-midi";
    public static final String TRAIN_TRIGGER_SOURCE = "/merlai/functions/train-trigger";

    private EventTypes() {
    }

    /** Every type that clients send to the broker themselves (no function emits them). */
    public static List<String> fromClients() {
        return List.of(TRAINING_REQUESTED);
    }

    /** Every type some function emits. */
    public static List<String> emitted() {
        return List.of(ARRANGEMENT_COMPLETED, PLUGINS_RECOMMENDED, RENDER_COMPLETED, TRAINING_PROGRESS, TRAINING_COMPLETED, TRAINING_FAILED);
    }
}
