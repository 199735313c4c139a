package dev.merlai.storage;

import java.util.regex.Pattern;

/**
 * Where things live in the bucket: the contract users and tests rely on.
 * <pre>
 * tenants/&lt;tenant&gt;/inbox/&lt;name&gt;.(mid|midi|mxl|musicxml|xml|json)   uploads
 * tenants/&lt;tenant&gt;/results/&lt;job&gt;/job.json                      state, timestamps, input, model, seed, error
 * tenants/&lt;tenant&gt;/results/&lt;job&gt;/arrangement.json              the arrangement (Merlai JSON)
 * tenants/&lt;tenant&gt;/results/&lt;job&gt;/arrangement.mid               Standard MIDI File
 * tenants/&lt;tenant&gt;/results/&lt;job&gt;/preview.wav, pianoroll.png    audio preview and picture
 * tenants/&lt;tenant&gt;/training/&lt;set&gt;/&lt;piece&gt;.(mid|...|json)     a composer's own pieces (melody + accompaniment)
 * tenants/&lt;tenant&gt;/models/&lt;model&gt;/training.json               the training job: state, validation report, progress, minutes
 * tenants/&lt;tenant&gt;/models/&lt;model&gt;/pieces/&lt;piece&gt;.json        the accepted pieces as Merlai JSON (what was trained on)
 * tenants/&lt;tenant&gt;/models/&lt;model&gt;/merlai-*.onnx, *.json, MODEL_CARD.md   the personalised model
 * </pre>
 */
public final class StorageLayout {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    private static final Pattern UPLOAD_NAME = Pattern.compile(".+\\.(?i:mid|midi|mxl|musicxml|xml|json)");
    /** The folder of uploads, within a tenant's. */
    public static final String INBOX = "inbox";
    /** The folder of jobs' records and results, within a tenant's. */
    public static final String RESULTS = "results";

    public static final String JOB = "job.json";
    public static final String ARRANGEMENT_JSON = "arrangement.json";
    public static final String ARRANGEMENT_MIDI = "arrangement.mid";
    /** The arrangement as notation (render-midi writes it beside the MIDI file). */
    public static final String ARRANGEMENT_MUSICXML = "arrangement.musicxml";
    public static final String PREVIEW_WAV = "preview.wav";
    public static final String PIANO_ROLL = "pianoroll.png";
    /** Folder of a job's results that holds one WAV per track (render-midi's stems). */
    public static final String STEMS = "stems/";
    public static final String TRAINING_JOB = "training.json";
    public static final String PIECES = "pieces/";
    /** The files of a personalised model, as training writes them and serving loads them. */
    public static final java.util.List<String> MODEL_FILES = java.util.List.of("merlai-chords.onnx", "merlai-chords.json",
            "merlai-texture.onnx", "merlai-texture.json", "merlai-downbeat.onnx", "merlai-downbeat.json", "MODEL_CARD.md");

    private StorageLayout() {
    }

    /** A tenant or job id: letters, digits, dot, dash, underscore; 1..63 characters; no path tricks. */
    public static String checkName(String kind, String value) {
        if (value == null || !NAME.matcher(value).matches()) {
            throw new IllegalArgumentException(kind + " must be 1-63 letters, digits, '.', '-' or '_' starting with a letter or digit, was '" + value + "'");
        }
        return value;
    }

    public static String inbox(String tenant) {
        return "tenants/" + checkName("tenant", tenant) + "/" + INBOX + "/";
    }

    public static String results(String tenant, String job) {
        return "tenants/" + checkName("tenant", tenant) + "/" + RESULTS + "/" + checkName("job", job) + "/";
    }

    public static String result(String tenant, String job, String file) {
        return results(tenant, job) + file;
    }

    /** A batch's record: its songs and their jobs. */
    public static String batch(String tenant, String batch) {
        return "tenants/" + checkName("tenant", tenant) + "/batches/" + checkName("batch", batch) + ".json";
    }

    /** A tenant's training set: the folder holding a composer's own pieces. */
    public static String trainingSet(String tenant, String set) {
        return "tenants/" + checkName("tenant", tenant) + "/training/" + checkName("set", set) + "/";
    }

    /** A tenant's personalised model (and its training job). */
    public static String model(String tenant, String model) {
        return "tenants/" + checkName("tenant", tenant) + "/models/" + checkName("model", model) + "/";
    }

    /** The folder of all of a tenant's models. */
    public static String models(String tenant) {
        return "tenants/" + checkName("tenant", tenant) + "/models/";
    }

    /**
     * The tenant of an inbox key, or null when the key is not an upload Merlai reads: one not directly in an inbox,
     * without a score's extension, or one {@link TenantKey} refuses (such as {@code tenants/a/inbox/../../b/inbox/x.mid}).
     */
    public static String inboxTenant(String key) {
        try {
            TenantKey parsed = TenantKey.parse(key);
            return parsed.area().equals(INBOX) && parsed.isTopLevel() && UPLOAD_NAME.matcher(parsed.name()).matches() ? parsed.tenant() : null;
        } catch (IllegalArgumentException refused) {
            return null;
        }
    }
}
