package dev.merlai.functions.complete;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.merlai.arranger.ArrangeException;
import dev.merlai.arranger.ArrangeOptions;
import dev.merlai.arranger.Arrangement;
import dev.merlai.arranger.Arranger;
import dev.merlai.arranger.BarRange;
import dev.merlai.arranger.Style;
import dev.merlai.events.ArrangementCompleted;
import dev.merlai.events.CompletionRequest;
import dev.merlai.models.ModelRegistry;
import dev.merlai.music.ChordSheet;
import dev.merlai.music.Score;
import dev.merlai.music.io.ReadOptions;
import dev.merlai.music.io.ReadResult;
import dev.merlai.music.io.ScoreFormat;
import dev.merlai.music.io.ScoreReadException;
import dev.merlai.music.io.Scores;
import dev.merlai.music.json.ScoreJson;
import dev.merlai.music.io.ReadLimits;
import dev.merlai.platform.http.InvalidRequestException;
import dev.merlai.platform.http.ProblemException;
import dev.merlai.platform.http.ProblemResponses;
import dev.merlai.storage.ObjectHead;
import dev.merlai.storage.ObjectTooLargeException;
import dev.merlai.storage.StoredObject;
import dev.merlai.storage.TenantKey;
import dev.merlai.storage.JobRecord;
import dev.merlai.storage.JobState;
import dev.merlai.storage.JobStore;
import dev.merlai.storage.StorageLayout;
import dev.merlai.tenancy.Plans;
import dev.merlai.tenancy.Tenant;
import dev.merlai.tenancy.limits.Quotas;
import dev.merlai.tenancy.usage.Unit;
import dev.merlai.tenancy.usage.UsageLedger;
import dev.merlai.platform.metrics.Durations;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Completes one melody as a job: records it, reads the melody, arranges it and stores the arrangement
 * (JSON and MIDI) under the job's results. A job id comes from the event's source and id (an upload's: from the
 * upload itself), so a redelivered event finds its finished job and answers the same without arranging again. A key
 * comes checked by its edge ({@link #ownKey} for an API caller, {@link dev.merlai.platform.tenancy.EventTenants#uploader}
 * for an event), once, before anything is read; the input is checked by its size before it is read. A bad input,
 * or any failure once the job is recorded, leaves a {@code failed} job with the reason; the caller gets a 4xx for its
 * own mistakes.
 */
@ApplicationScoped
public class Completions {

    private static final Logger LOG = Logger.getLogger(Completions.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** JSON with object members in name order: the same request always gives the same text. */
    private static final ObjectMapper CANONICAL = new ObjectMapper().configure(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    /** Where a request may take its melody from: the tenant's uploads and results. */
    static final Set<String> READABLE_AREAS = Set.of(StorageLayout.INBOX, StorageLayout.RESULTS);
    /** The source of upload jobs, per tenant (see {@link #completeUpload}). */
    static final String UPLOAD_SOURCE = "/merlai/uploads/";
    public static final String IDEMPOTENCY_CONFLICT_TYPE = "https://merlai.dev/problems/idempotency-conflict";
    private static final String INLINE_INPUT = "inline";

    @Inject
    ModelRegistry models;

    @Inject
    JobStore jobs;

    @Inject
    CompletionCache cache;

    @Inject
    Plans plans;

    @Inject
    Quotas quotas;

    @Inject
    UsageLedger usage;

    @Inject
    MeterRegistry metrics;

    @Inject
    InputLimits limits;

    private final Clock clock = Clock.systemUTC();
    private Timer arrangeTime;
    private Counter cacheHits, cacheMisses;

    /** Registered at start, so that the metrics are scraped (at 0) before the first completion. */
    void registerMetrics(@Observes StartupEvent event) {
        arrangeTime = Durations.histogram(metrics, "merlai.arrange", "Time the models take to arrange one song (cache misses only)", Duration.ofMinutes(2));
        cacheHits = cacheLookups("hit");
        cacheMisses = cacheLookups("miss");
    }

    private Counter cacheLookups(String result) {
        return Counter.builder("merlai.cache.lookups").description("Completion cache lookups by result (hit: answered from the cache; miss: arranged by the models)")
                .tag("result", result).register(metrics);
    }

    /**
     * Completes a melody for a tenant and bills the bars arranged, once per job. A tenant whose monthly quota of bars
     * is used up is refused ({@link dev.merlai.tenancy.limits.QuotaExceededException}) before any work.
     *
     * @param eventSource the CloudEvent's source (or the HTTP API's)
     * @param eventId     the CloudEvent's id or the caller's Idempotency-Key: the same one with the same request finds the
     *                    same job, with another request it is a conflict (422); null starts a new job
     * @param account     the tenant: the API key's, or for an event the active tenant its data names
     */
    public CompletionResult complete(String eventSource, String eventId, Tenant account, CompletionRequest request) throws InvalidRequestException, ProblemException {
        return complete(eventSource, eventId, account, request, Optional.empty());
    }

    /** A song of a batch: completed as {@link #complete}, with the batch's shared models where they are the song's. */
    public CompletionResult complete(String eventSource, String eventId, Tenant account, CompletionRequest request, SharedModels shared)
            throws InvalidRequestException, ProblemException {
        return complete(eventSource, eventId, account, request, Optional.of(shared));
    }

    private CompletionResult complete(String eventSource, String eventId, Tenant account, CompletionRequest request, Optional<SharedModels> shared)
            throws InvalidRequestException, ProblemException {
        checkShape(request);
        Upload upload = request.key == null ? null : upload(request.key);
        if (upload != null) fillFromUpload(request, upload.head());
        return start(eventSource, eventId, account, request, upload, shared);
    }

    /**
     * Completes a melody file handed over with the request (a song of an uploaded zip), read once as an inbox object is;
     * its {@code name} says its format ({@code .mid}, {@code .musicxml}, ...). The request gives the options only.
     */
    public CompletionResult completeFile(String eventSource, String eventId, Tenant account, CompletionRequest request, String name, byte[] file,
                                         SharedModels shared) throws InvalidRequestException, ProblemException {
        if (request.key != null || request.score != null) {
            throw new InvalidRequestException(request.key != null ? "key" : "score", "a melody file comes alone, without 'key' or 'score'");
        }
        return start(eventSource, eventId, account, request, new Upload(name, null, file, null), Optional.of(shared));
    }

    /**
     * The models a batch's songs share: {@code arranger} arranges with the models of {@code version}, its drum and
     * dynamics calls answered together with the other songs' ({@link dev.merlai.arranger.BatchArranger}). A song whose
     * upload names other models is arranged with those, alone.
     */
    public record SharedModels(Arranger arranger, String version) {
    }

    private CompletionResult start(String eventSource, String eventId, Tenant account, CompletionRequest request, Upload upload,
                                   Optional<SharedModels> shared)
            throws InvalidRequestException, ProblemException {
        ArrangeOptions options = options(request);
        // A request without an id of its own starts a new job: nothing to look up.
        boolean fresh = eventId == null;
        String job = JobStore.jobIdForEvent(eventSource == null ? "" : eventSource, fresh ? java.util.UUID.randomUUID().toString() : eventId);
        return run(account, job, fresh, request, options, upload, shared);
    }

    /**
     * Completes an uploaded melody ({@code dev.merlai.melody.uploaded}): the job is that of the upload itself (tenant,
     * key, the object's ETag, its options), whichever event announces it, so the same bytes uploaded again under the
     * same name (a client's retry after a timeout) find the job already done and are not billed twice. Options in the
     * upload's metadata that cannot be used leave a {@code failed} job saying why. An event with inline notes is
     * completed as {@link #complete} does.
     */
    public CompletionResult completeUpload(String eventSource, String eventId, Tenant account, CompletionRequest request) throws InvalidRequestException, ProblemException {
        checkShape(request);
        if (request.key == null) return complete(eventSource, eventId, account, request);
        String tenant = account.id();
        Upload upload = upload(request.key);
        String job = JobStore.jobIdForEvent(UPLOAD_SOURCE + tenant, uploadIdentity(request, upload.head()));
        ArrangeOptions options;
        try {
            fillFromUpload(request, upload.head());
            options = options(request);
        } catch (InvalidRequestException e) {
            fail(JobRecord.queued(job, tenant, request.key, request.seed == null ? ArrangeOptions.DEFAULT.seed() : request.seed, clock.instant()),
                    "the upload's options cannot be used: " + e.getMessage());
            throw e;
        }
        return run(account, job, false, request, options, upload, Optional.empty());
    }

    private static void checkShape(CompletionRequest request) throws InvalidRequestException {
        if (request == null) throw new InvalidRequestException("body", "the request has no body");
        if ((request.key == null) == (request.score == null)) throw new InvalidRequestException("key", "give the melody either as 'key' (an object key) or as 'score' (inline notes), not both");
    }

    /**
     * The melody a request names, read once: an object (bytes, ETag and metadata of one version), or a file handed over
     * with the request ({@code head} null). {@code bytes} is null and {@code tooLarge} says why when an object holds more
     * than the input limit (its head is still known, so the job that refuses it can be recorded).
     *
     * @param name the object key or file name, whose extension says the format
     */
    private record Upload(String name, ObjectHead head, byte[] bytes, ObjectTooLargeException tooLarge) {
    }

    /**
     * An API caller's key, checked by its text before anything is read ({@link TenantKey}): only the tenant's inbox and
     * results. Both a key that is not theirs and one of theirs that is not there ({@link #upload}) are a 400 on
     * {@code key}, and the first is decided by the key's text alone, so no answer says whether another tenant's (or
     * the platform's) object exists.
     */
    static void ownKey(String tenant, String key) throws InvalidRequestException {
        try {
            TenantKey.owned(tenant, key, READABLE_AREAS);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("key", e.getMessage());
        }
    }

    /** The object a checked key names, read once. */
    private Upload upload(String key) throws InvalidRequestException {
        try {
            Optional<StoredObject> read = jobs.objects().getAtMost(key, limits.maxBytes());
            if (read.isPresent()) return new Upload(key, read.get().head(), read.get().bytes(), null);
        } catch (ObjectTooLargeException e) {
            return new Upload(key, e.head(), null, e);
        }
        throw new InvalidRequestException("key", "there is no object " + key);
    }

    private static void fillFromUpload(CompletionRequest request, ObjectHead upload) throws InvalidRequestException {
        try {
            request.fillFromUpload(upload.userMetadata());
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("key", e.getMessage());
        }
    }

    /** What makes an upload one job: its key, its bytes' ETag, its metadata's options and the event's own options. */
    private static String uploadIdentity(CompletionRequest request, ObjectHead upload) {
        var identity = new java.util.TreeMap<String, Object>();
        upload.userMetadata().forEach((name, value) -> {
            if (name.startsWith(CompletionRequest.UPLOAD_OPTION_PREFIX)) identity.put("x-amz-meta-" + name, value);
        });
        identity.put("key", request.key);
        identity.put("eTag", upload.eTag());
        identity.put("seed", request.seed);
        identity.put("style", request.style);
        identity.put("bars", request.bars);
        identity.put("temperature", request.temperature);
        identity.put("density", request.density);
        putFormOptions(identity, request.variation, request.intro, request.ending);
        if (request.drums != null) identity.put("drums", request.drums);
        if (request.humanize != null) identity.put("humanize", request.humanize);
        identity.put("model", request.model);
        putChordOptions(identity, request.chords, request.reharmonize);
        return canonicalJson(identity);
    }

    /**
     * A fingerprint of what a request asks for (its input and the options it resolves to): kept with the job, so a
     * request id used again for another request is told apart from a retry, as Stripe's Idempotency-Key is.
     */
    private static String fingerprint(CompletionRequest request, ArrangeOptions options, Upload upload) {
        var asked = new java.util.TreeMap<String, Object>();
        asked.put("key", request.key);
        asked.put("score", request.score == null ? null : MAPPER.convertValue(request.score, Object.class));
        if (upload != null && upload.head() == null) asked.put("file", sha256(upload.bytes()));
        asked.put("seed", options.seed());
        asked.put("style", options.style().id());
        asked.put("bars", request.bars);
        asked.put("temperature", options.temperature());
        asked.put("density", options.density());
        putFormOptions(asked, options.variation(), options.intro(), options.ending());
        asked.put("drums", options.drumStyle());
        asked.put("humanize", options.humanize());
        asked.put("model", request.model);
        putChordOptions(asked, request.chords, request.reharmonize);
        return sha256(canonicalJson(asked).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static String sha256(byte[] bytes) {
        try {
            return "sha256:" + java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always there", e);
        }
    }

    /**
     * The form options where they are asked for: a request without them keeps the job id and fingerprint it had before
     * they existed, so a retry across an upgrade finds its job.
     */
    /** Only the chord options asked for, so that a request without them keeps the job id it had before they existed. */
    private static void putChordOptions(java.util.Map<String, Object> map, String chords, String reharmonize) {
        if (chords != null) map.put("chords", chords);
        if (reharmonize != null) map.put("reharmonize", reharmonize);
    }

    private static void putFormOptions(java.util.Map<String, Object> map, Double variation, Integer intro, Boolean ending) {
        if (variation != null) map.put("variation", variation);
        if (intro != null && intro != 0) map.put("intro", intro);
        if (ending != null && !ending) map.put("ending", false);
    }

    private static String canonicalJson(Object value) {
        try {
            return CANONICAL.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException("a request's own values always serialise", e);
        }
    }

    /**
     * Finds the job done, or arranges it (with {@code shared} when it holds the job's models); whatever fails after the
     * job is recorded leaves it {@code failed} with the reason.
     */
    private CompletionResult run(Tenant account, String job, boolean fresh, CompletionRequest request, ArrangeOptions options, Upload upload,
                                 Optional<SharedModels> shared) throws InvalidRequestException, ProblemException {
        String tenant = account.id();
        String fingerprint = fingerprint(request, options, upload);
        Optional<JobRecord> existing = fresh ? Optional.empty() : jobs.find(tenant, job);
        if (existing.isPresent() && !existing.get().request().isEmpty() && !existing.get().request().equals(fingerprint)) {
            throw new ProblemException(422, IDEMPOTENCY_CONFLICT_TYPE, "Idempotency conflict", "job " + job
                    + " was started by another request with the same request id (Idempotency-Key or event id); use a new id for a new request",
                    Map.of("job", job));
        }
        if (existing.isPresent() && existing.get().files().contains(StorageLayout.ARRANGEMENT_JSON)) {
            byte[] stored = request.inline ? jobs.result(tenant, job, StorageLayout.ARRANGEMENT_JSON).orElse(null) : null;
            return answer(existing.get(), options, stored, null, "", 0);
        }
        quotas.check(tenant, plans.of(account), Unit.BARS);
        String input = upload != null ? upload.name() : INLINE_INPUT;
        JobRecord record = existing.orElseGet(() -> JobRecord.queued(job, tenant, input, options.seed(), clock.instant()))
                .forRequest(fingerprint).advance(JobState.COMPLETING, clock.instant());
        try (ModelRegistry.Lease lease = models.acquire(tenant, request.model)) {
            Arranger arranger = shared.filter(models -> models.version().equals(lease.version())).map(SharedModels::arranger).orElse(lease.arranger());
            return arrange(request, upload, options, record, arranger, lease.version());
        } catch (InvalidRequestException | ProblemException refused) {
            throw refused; // the job records why, or was not recorded yet
        } catch (RuntimeException e) {
            try {
                fail(record, "the job failed: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            } catch (RuntimeException alsoFailed) {
                e.addSuppressed(alsoFailed);
            }
            throw e;
        }
    }

    /** Reads, arranges (or finds in the cache) and stores one job's arrangement with the given models; {@code upload} is null for inline notes. */
    private CompletionResult arrange(CompletionRequest request, Upload upload, ArrangeOptions options, JobRecord record, Arranger arranger, String version)
            throws InvalidRequestException, ProblemException {
        String tenant = record.tenant();
        String job = record.job();
        ReadOptions readOptions = new ReadOptions(new ReadLimits(limits.maxBytes(), ReadLimits.DEFAULT.maxTracks(), limits.maxNotes(), ReadLimits.DEFAULT.maxDurationSeconds()), null);
        ReadResult read;
        byte[] bytes;
        // what an unreadable melody is laid to: the key, the inline notes, or the body that carried the file
        String field = request.key != null ? "key" : upload != null ? "body" : "score";
        try {
            if (upload != null && upload.tooLarge() != null) throw upload.tooLarge();
            bytes = upload != null ? upload.bytes() : MAPPER.writeValueAsBytes(request.score);
            read = Scores.read(bytes, upload != null ? upload.name() : "inline.json", readOptions);
            checkNames(read.score(), field);
        } catch (ScoreReadException e) {
            fail(record, e.getMessage());
            throw new InvalidRequestException(field.equals("score") ? "score" + e.location().replaceFirst("^\\$", "") : field, e.getMessage());
        } catch (InvalidRequestException e) {
            fail(record, e.getMessage());
            throw e;
        } catch (ObjectTooLargeException e) {
            fail(record, e.getMessage());
            throw new ProblemException(413, ProblemResponses.TOO_LARGE_TYPE, "Input too large", e.getMessage(), Map.of("field", "key", "limit", limits.maxBytes()));
        } catch (IOException e) {
            fail(record, "the inline score cannot be serialised");
            throw new InvalidRequestException("score", "cannot be serialised: " + e.getMessage());
        }

        String cacheKey = CompletionCache.key(bytes, options, version);
        Optional<CompletionCache.Entry> cached = cache.get(cacheKey);
        CompletionCache.Entry arrangement;
        Score arranged;
        (cached.isPresent() ? cacheHits : cacheMisses).increment();
        if (cached.isPresent()) {
            arrangement = cached.get();
            try {
                arranged = Scores.reader(ScoreFormat.JSON).read(arrangement.arrangementJson(), ReadOptions.DEFAULT).score();
            } catch (ScoreReadException e) {
                throw new IllegalStateException("a cached arrangement must read back: " + e.getMessage(), e);
            }
        } else {
            jobs.save(record); // visible as completing while the models work; a cache hit goes straight to its results
            try {
                long started = System.nanoTime();
                Arrangement made = arranger.arrange(read.score(), options);
                arrangeTime.record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
                arranged = made.score();
                arrangement = CompletionCache.Entry.of(ScoreJson.write(arranged), made);
            } catch (ArrangeException e) {
                fail(record, e.getMessage());
                throw new InvalidRequestException(e.option() == null ? "score" : e.option(), e.getMessage());
            }
            cache.put(cacheKey, arrangement);
        }
        byte[] arrangementJson = arrangement.arrangementJson();
        jobs.putResult(tenant, job, StorageLayout.ARRANGEMENT_JSON, arrangementJson, "application/json");
        jobs.putResult(tenant, job, StorageLayout.ARRANGEMENT_MIDI, Scores.write(arranged, ScoreFormat.MIDI), "audio/midi");
        // Billed before the job is marked arranged: a crash in between redoes the job, and the ledger keeps one record.
        long bars = usage.record(tenant, job, Unit.BARS, barsArranged(arranged, options)).amount();
        JobRecord done = record.completed(version, List.of(StorageLayout.ARRANGEMENT_JSON, StorageLayout.ARRANGEMENT_MIDI), JobState.RENDERING, clock.instant());
        jobs.save(done);
        LOG.infof("job %s/%s arranged (%s) in %d ms", tenant, job, cached.isPresent() ? "cached" : "new", arrangement.millis());
        return answer(done, options, request.inline ? arrangementJson : null, arrangement, read.melodyChoice(), bars);
    }

    /** Bars billed: the song's bars, or those of {@code --bars} within it; the same for a fresh and a cached arrangement. */
    static long barsArranged(Score arranged, ArrangeOptions options) {
        return arranged.meter().bars(arranged.endTick()).stream().filter(bar -> options.bars() == null || options.bars().contains(bar.number())).count();
    }

    /** Track names are carried on with the job (events, results): a name longer than the limit is refused here. */
    private void checkNames(Score score, String field) throws InvalidRequestException {
        for (int i = 0; i < score.tracks().size(); i++) {
            String name = score.tracks().get(i).name();
            if (name != null && name.length() > limits.maxNameLength()) {
                throw new InvalidRequestException(field.equals("score") ? "score.tracks[" + i + "].name" : field,
                        "track " + i + "'s name has " + name.length() + " characters, more than the limit of " + limits.maxNameLength());
            }
        }
    }

    private void fail(JobRecord record, String reason) {
        jobs.save(record.failed(reason, clock.instant()));
    }

    /**
     * The answer for a job made with {@code options} (a redelivered event or retried request carries the same ones);
     * {@code arrangementJson} is included when not null, {@code arrangement} adds the report (fresh or cached).
     */
    private static CompletionResult answer(JobRecord record, ArrangeOptions options, byte[] arrangementJson, CompletionCache.Entry arrangement,
                                           String melodyChoice, long bars) {
        List<String> files = record.files().stream().map(file -> StorageLayout.result(record.tenant(), record.job(), file)).toList();
        boolean made = arrangement != null;
        ArrangementCompleted completed = new ArrangementCompleted(record.tenant(), record.job(), options.style().id(), files, record.modelVersion(),
                record.seed(), bars, made ? arrangement.millis() : 0, melodyChoice, made ? arrangement.meter() : null, made ? arrangement.key() : null,
                made ? arrangement.form() : null, made ? arrangement.intro() : null, made ? arrangement.movedTicks() : 0,
                made ? arrangement.ending() : null, made ? arrangement.generatedBars() : null);
        return new CompletionResult(completed, made ? arrangement.chordAlternatives() : null, arrangementJson == null ? null : readTree(arrangementJson));
    }

    private static com.fasterxml.jackson.databind.JsonNode readTree(byte[] json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("stored arrangement JSON is unreadable", e);
        }
    }

    private static ArrangeOptions options(CompletionRequest request) throws InvalidRequestException {
        ArrangeOptions defaults = ArrangeOptions.DEFAULT;
        String field = "style";
        try {
            Style style = request.style == null ? defaults.style() : Style.fromId(request.style);
            field = "bars";
            BarRange bars = request.bars == null ? null : BarRange.parse(request.bars);
            field = "chords";
            ChordSheet chords = request.chords == null ? ChordSheet.EMPTY : ChordSheet.parse(request.chords);
            field = "reharmonize";
            BarRange reharmonize = request.reharmonize == null ? null : BarRange.parse(request.reharmonize);
            field = request.temperature != null && !(request.temperature >= 0.1 && request.temperature <= 2) ? "temperature"
                    : request.density != null && !(request.density >= 0 && request.density <= 1) ? "density"
                    : request.variation != null && !(request.variation >= 0 && request.variation <= 1) ? "variation"
                    : request.intro != null && !(request.intro >= 0 && request.intro <= ArrangeOptions.MAX_INTRO) ? "intro"
                    : request.humanize != null && !(request.humanize >= 0 && request.humanize <= 1) ? "humanize" : "drums";
            return defaults.with(o -> {
                o.style(style).bars(bars).chords(chords).reharmonize(reharmonize).variation(request.variation).drums(request.drums);
                if (request.seed != null) o.seed(request.seed);
                if (request.temperature != null) o.temperature(request.temperature);
                if (request.density != null) o.density(request.density);
                if (request.intro != null) o.intro(request.intro);
                if (request.ending != null) o.ending(request.ending);
                if (request.humanize != null) o.humanize(request.humanize);
            });
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(field, e.getMessage());
        }
    }
}
