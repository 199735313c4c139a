package dev.merlai.functions.complete;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.merlai.arranger.ArrangeException;
import dev.merlai.arranger.ArrangeOptions;
import dev.merlai.arranger.Arrangement;
import dev.merlai.arranger.Arranger;
import dev.merlai.arranger.BarRange;
import dev.merlai.arranger.Style;
import dev.merlai.music.Score;
import dev.merlai.music.io.ReadOptions;
import dev.merlai.music.io.ReadResult;
import dev.merlai.music.io.ScoreFormat;
import dev.merlai.music.io.ScoreReadException;
import dev.merlai.music.io.Scores;
import dev.merlai.music.json.ScoreJson;
import dev.merlai.platform.http.InvalidRequestException;
import dev.merlai.storage.JobRecord;
import dev.merlai.storage.JobState;
import dev.merlai.storage.JobStore;
import dev.merlai.storage.StorageLayout;
import dev.merlai.tenancy.Plans;
import dev.merlai.tenancy.Tenant;
import dev.merlai.tenancy.limits.Quotas;
import dev.merlai.tenancy.usage.Unit;
import dev.merlai.tenancy.usage.UsageLedger;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Completes one melody as a job: records it, reads the melody, arranges it and stores the arrangement
 * (JSON and MIDI) under the job's results. A job id comes from the event's source and id, so a redelivered
 * event finds its finished job and answers the same without arranging again. A bad input leaves a
 * {@code failed} job with the reason, and the caller gets a 400.
 */
@ApplicationScoped
public class Completions {

    private static final Logger LOG = Logger.getLogger(Completions.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String INLINE_INPUT = "inline";

    @Inject
    ModelService models;

    @Inject
    TenantModels tenantModels;

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

    private final Clock clock = Clock.systemUTC();

    /**
     * Completes a melody for a tenant and bills the bars arranged, once per job. A tenant whose monthly quota of bars
     * is used up is refused ({@link dev.merlai.tenancy.limits.QuotaExceededException}) before any work.
     *
     * @param eventSource the CloudEvent's source (or the HTTP API's)
     * @param eventId     the CloudEvent's id or the caller's Idempotency-Key: the same one finds the same job;
     *                    null starts a new job
     * @param account     the tenant: the API key's, or for an event the active tenant its data names
     */
    public CompletionResult complete(String eventSource, String eventId, Tenant account, CompletionRequest request) throws InvalidRequestException {
        if (request == null) throw new InvalidRequestException("", "the request has no body");
        String tenant = account.id();
        if ((request.key == null) == (request.score == null)) throw new InvalidRequestException("key", "give the melody either as 'key' (an object key) or as 'score' (inline notes), not both");
        if (request.key != null && !request.key.startsWith("tenants/" + tenant + "/")) {
            throw new InvalidRequestException("key", "the key must lie under tenants/" + tenant + "/");
        }
        if (request.key != null) {
            try {
                request.fillFromUpload(jobs.objects().userMetadata(request.key));
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException("key", e.getMessage());
            }
        }
        ArrangeOptions options = options(request);
        // A request without an id of its own starts a new job: nothing to look up.
        boolean fresh = eventId == null;
        String job = JobStore.jobIdForEvent(eventSource == null ? "" : eventSource, fresh ? java.util.UUID.randomUUID().toString() : eventId);

        Optional<JobRecord> existing = fresh ? Optional.empty() : jobs.find(tenant, job);
        if (existing.isPresent() && existing.get().files().contains(StorageLayout.ARRANGEMENT_JSON)) {
            byte[] stored = request.inline ? jobs.result(tenant, job, StorageLayout.ARRANGEMENT_JSON).orElse(null) : null;
            return answer(existing.get(), options, stored, null, "");
        }
        quotas.check(tenant, plans.of(account), Unit.BARS);
        try (TenantModels.Lease lease = request.model == null ? null : tenantModels.acquire(tenant, request.model)) {
            Arranger arranger = lease == null ? models.arranger() : lease.arranger();
            String version = lease == null ? models.version() : lease.version();
            return arrange(request, options, tenant, job, existing, arranger, version);
        }
    }

    /** Reads, arranges (or finds in the cache) and stores one job's arrangement with the given models. */
    private CompletionResult arrange(CompletionRequest request, ArrangeOptions options, String tenant, String job, Optional<JobRecord> existing,
                                     Arranger arranger, String version) throws InvalidRequestException {
        String input = request.key != null ? request.key : INLINE_INPUT;
        JobRecord record = existing.orElseGet(() -> JobRecord.queued(job, tenant, input, options.seed(), clock.instant())).advance(JobState.COMPLETING, clock.instant());

        ReadResult read;
        byte[] bytes;
        try {
            bytes = request.key != null
                    ? jobs.objects().get(request.key).orElseThrow(() -> new ScoreReadException(ScoreReadException.Kind.INVALID_FIELD, "", "no object " + request.key))
                    : MAPPER.writeValueAsBytes(request.score);
            read = Scores.read(bytes, request.key != null ? request.key : "inline.json", ReadOptions.DEFAULT);
        } catch (ScoreReadException e) {
            fail(record, e.getMessage());
            throw new InvalidRequestException(request.key != null ? "key" : "score" + e.location().replaceFirst("^\\$", ""), e.getMessage());
        } catch (IOException e) {
            fail(record, "the inline score cannot be serialised");
            throw new InvalidRequestException("score", "cannot be serialised: " + e.getMessage());
        }

        String cacheKey = CompletionCache.key(bytes, options, version);
        Optional<CompletionCache.Entry> cached = cache.get(cacheKey);
        CompletionCache.Entry arrangement;
        metrics.counter("merlai.cache.lookups", "result", cached.isPresent() ? "hit" : "miss").increment();
        if (cached.isPresent()) {
            arrangement = cached.get();
        } else {
            jobs.save(record); // visible as completing while the models work; a cache hit goes straight to its results
            try {
                long started = System.nanoTime();
                Arrangement made = arranger.arrange(read.score(), options);
                metrics.timer("merlai.arrange").record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
                arrangement = CompletionCache.Entry.of(ScoreJson.write(made.score()), made);
            } catch (ArrangeException e) {
                fail(record, e.getMessage());
                throw new InvalidRequestException("score", e.getMessage());
            }
            cache.put(cacheKey, arrangement);
        }
        byte[] arrangementJson = arrangement.arrangementJson();
        Score arranged;
        try {
            arranged = Scores.reader(ScoreFormat.JSON).read(arrangementJson, ReadOptions.DEFAULT).score();
        } catch (ScoreReadException e) {
            throw new IllegalStateException("a stored arrangement must read back: " + e.getMessage(), e);
        }
        jobs.putResult(tenant, job, StorageLayout.ARRANGEMENT_JSON, arrangementJson, "application/json");
        jobs.putResult(tenant, job, StorageLayout.ARRANGEMENT_MIDI, Scores.write(arranged, ScoreFormat.MIDI), "audio/midi");
        // Billed before the job is marked arranged: a crash in between redoes the job, and the ledger keeps one record.
        long bars = usage.record(tenant, job, Unit.BARS, barsArranged(arranged, options)).amount();
        JobRecord done = record.completed(version, List.of(StorageLayout.ARRANGEMENT_JSON, StorageLayout.ARRANGEMENT_MIDI), JobState.RENDERING, clock.instant());
        jobs.save(done);
        CompletionResult result = answer(done, options, request.inline ? arrangementJson : null, arrangement, read.melodyChoice());
        result.bars = bars;
        LOG.infof("job %s/%s arranged (%s) in %d ms", tenant, job, cached.isPresent() ? "cached" : "new", result.millis);
        return result;
    }

    /** Bars billed: the song's bars, or those of {@code --bars} within it; the same for a fresh and a cached arrangement. */
    static long barsArranged(Score arranged, ArrangeOptions options) {
        return arranged.meter().bars(arranged.endTick()).stream().filter(bar -> options.bars() == null || options.bars().contains(bar.number())).count();
    }

    private void fail(JobRecord record, String reason) {
        jobs.save(record.failed(reason, clock.instant()));
    }

    /**
     * The answer for a job made with {@code options} (a redelivered event or retried request carries the same ones);
     * {@code arrangementJson} is included when not null, {@code arrangement} adds the report (fresh or cached).
     */
    private CompletionResult answer(JobRecord record, ArrangeOptions options, byte[] arrangementJson, CompletionCache.Entry arrangement, String melodyChoice) {
        CompletionResult result = new CompletionResult();
        result.tenant = record.tenant();
        result.job = record.job();
        result.files = new ArrayList<>();
        for (String file : record.files()) result.files.add(StorageLayout.result(record.tenant(), record.job(), file));
        result.modelVersion = record.modelVersion();
        result.seed = record.seed();
        result.style = options.style().id();
        result.melody = melodyChoice;
        if (arrangement != null) {
            result.meter = arrangement.meter();
            result.key = arrangement.key();
            result.generatedBars = arrangement.generatedBars();
            result.millis = arrangement.millis();
        }
        if (arrangementJson != null) result.arrangement = readTree(arrangementJson);
        return result;
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
            field = request.temperature != null && !(request.temperature >= 0.1 && request.temperature <= 2) ? "temperature" : "density";
            return new ArrangeOptions(request.seed == null ? defaults.seed() : request.seed, style, bars,
                    request.temperature == null ? defaults.temperature() : request.temperature,
                    request.density == null ? defaults.density() : request.density);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(field, e.getMessage());
        }
    }
}
