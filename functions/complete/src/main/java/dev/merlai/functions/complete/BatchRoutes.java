package dev.merlai.functions.complete;

import dev.merlai.arranger.BatchArranger;
import dev.merlai.events.CompletionRequest;
import dev.merlai.models.ModelRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.merlai.platform.http.InvalidRequestException;
import dev.merlai.platform.http.RequestNames;
import dev.merlai.platform.http.ProblemException;
import dev.merlai.platform.http.RequestBodies;
import dev.merlai.platform.tenancy.ApiKeyGuard;
import dev.merlai.storage.JobRecord;
import dev.merlai.storage.JobState;
import dev.merlai.storage.JobStore;
import dev.merlai.storage.StorageLayout;
import dev.merlai.tenancy.Tenant;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Many melodies in one request: {@code POST /v1/batches} with a JSON list of inbox keys and the options of a completion
 * ({@code {"keys": [...], "seed": 7, ...}}), or a zip of melody files ({@code Content-Type: application/zip}, options in
 * the query: {@code ?seed=7&style=lied}). Each melody is one job, completed, billed and handed on exactly as a single
 * completion; a melody that fails fails alone, with its reason. The batch record ({@code tenants/<tenant>/batches/<id>.json},
 * written before the first song) names each song's job, so {@code GET /v1/batches/{id}} reports their states while the
 * batch runs and after. An {@code Idempotency-Key} makes a retried batch find its jobs: those done are not billed again.
 * The songs are completed {@code merlai.batches.songs-at-once} side by side through one {@link BatchArranger} over the
 * batch's models, as {@code merlai complete A B ...} completes them: their drum and dynamics model calls are answered
 * together, and each song's arrangement is the one it gets alone.
 */
@ApplicationScoped
public class BatchRoutes {

    private static final Logger LOG = Logger.getLogger(BatchRoutes.class);
    static final String SOURCE = "/merlai/batches/";
    public static final String NO_SUCH_BATCH_TYPE = "https://merlai.dev/problems/no-such-batch";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Inject
    Completions completions;

    @Inject
    CompletionRoutes routes;

    @Inject
    JobStore jobs;

    @Inject
    ModelRegistry models;

    @ConfigProperty(name = "merlai.batches.max-songs", defaultValue = "100")
    int maxSongs;

    @ConfigProperty(name = "merlai.batches.songs-at-once", defaultValue = "8")
    int songsAtOnce;

    void install(@Observes Router router) {
        router.post("/v1/batches").handler(routes.bodyHandler()).blockingHandler(this::create, false);
        router.get("/v1/batches/:batch").blockingHandler(this::show, false);
    }

    /** One song of a batch: its name (inbox key or zip entry), its request, and for a zip entry the file itself. */
    private record Song(String name, CompletionRequest request, byte[] file) {
    }

    private void create(RoutingContext context) {
        try {
            String contentType = String.valueOf(context.request().getHeader("Content-Type"));
            boolean zip = contentType.startsWith("application/zip");
            ObjectNode options = zip ? queryOptions(context) : bodyOptions(context);
            Tenant caller = ApiKeyGuard.ownTenant(context, options.path("tenant").isTextual() ? options.get("tenant").asText() : null);
            JsonNode keys = options.remove("keys");
            CompletionRequest request = RequestBodies.read(options, CompletionRequest.class, "a batch's options"); // named before any melody is read
            List<Song> songs = zip ? zipSongs(RequestBodies.bytes(context), request) : keySongs(caller.id(), keys, options);
            if (songs.isEmpty()) throw new InvalidRequestException(zip ? "body" : "keys", "a batch needs at least one melody");
            if (songs.size() > maxSongs) throw new InvalidRequestException(zip ? "body" : "keys", songs.size() + " melodies; a batch takes at most " + maxSongs);
            String idempotencyKey = context.request().getHeader("Idempotency-Key");
            String batch = idempotencyKey == null ? UUID.randomUUID().toString() : JobStore.jobIdForEvent(SOURCE + caller.id(), idempotencyKey);
            ObjectNode record = record(caller.id(), batch, songs);
            Map<String, JobRecord> completed = new HashMap<>();
            // the batch's models first: a model the tenant does not have is a 400 on model, before anything is accepted
            try (ModelRegistry.Lease lease = models.acquire(caller.id(), request.model)) {
                jobs.objects().put(key(caller.id(), batch), MAPPER.writeValueAsBytes(record), "application/json");
                for (JobRecord job : completeAll(context, caller, batch, songs, lease)) completed.put(job.job(), job);
            }
            context.response().setStatusCode(201).putHeader("Content-Type", "application/json")
                    .putHeader("Location", "/v1/batches/" + batch).end(MAPPER.writeValueAsString(withStates(record, job -> Optional.ofNullable(completed.get(job)))));
        } catch (Exception e) {
            context.fail(e);
        }
    }

    /** The JSON body: {@code keys} and a completion's options. */
    private static ObjectNode bodyOptions(RoutingContext context) throws InvalidRequestException {
        JsonNode body = RequestBodies.json(context);
        if (!body.isObject()) throw new InvalidRequestException("body", "the body is not a batch: a JSON object with keys (or a zip of melodies)");
        return (ObjectNode) body;
    }

    /**
     * A zip's options come in the query, each read as the JSON value it spells ({@code seed=7} a number, {@code ending=false}
     * a boolean) or else as text, and then as strictly as a JSON request's.
     */
    private static ObjectNode queryOptions(RoutingContext context) {
        ObjectNode options = MAPPER.createObjectNode();
        context.queryParams().forEach(option -> options.set(option.getKey(), queryValue(option.getValue())));
        return options;
    }

    private static JsonNode queryValue(String text) {
        try {
            JsonNode value = MAPPER.readTree(text);
            if (value != null && (value.isNumber() || value.isBoolean())) return value;
        } catch (IOException notAJsonScalar) {
            // text, as written
        }
        return MAPPER.getNodeFactory().textNode(text);
    }

    /** A completion request per key; every key must be the caller's own, or the batch is refused naming the first that is not. */
    private static List<Song> keySongs(String tenant, JsonNode keys, ObjectNode options) throws InvalidRequestException {
        if (keys == null || !keys.isArray()) throw new InvalidRequestException("keys", "a list of inbox keys is needed, e.g. [\"tenants/" + tenant + "/inbox/song.mid\"]");
        List<Song> songs = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            String key = keys.get(i).isTextual() ? keys.get(i).asText() : null;
            try {
                if (key == null) throw new InvalidRequestException("keys[" + i + "]", "is not a text");
                Completions.ownKey(tenant, key);
            } catch (InvalidRequestException e) {
                throw new InvalidRequestException("keys[" + i + "]", e.getMessage());
            }
            songs.add(new Song(key, RequestBodies.read(options.deepCopy().put("key", key), CompletionRequest.class, "a batch's options"), null));
        }
        return songs;
    }

    /** A song per file of the zip, with the batch's options; each file is read once, when its song is completed. */
    private static List<Song> zipSongs(byte[] body, CompletionRequest options) throws InvalidRequestException {
        List<Song> songs = new ArrayList<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(body))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                if (entry.isDirectory() || entry.getName().startsWith("__MACOSX/")) continue;
                songs.add(new Song(entry.getName(), options, zip.readAllBytes()));
            }
        } catch (IOException e) {
            throw new InvalidRequestException("body", "the body is not a zip of melodies: " + e.getMessage());
        }
        return songs;
    }

    /** The batch as stored: each song's name and job. */
    private static ObjectNode record(String tenant, String batch, List<Song> songs) {
        ObjectNode record = MAPPER.createObjectNode().put("batch", batch).put("tenant", tenant).put("createdAt", Instant.now().toString());
        ArrayNode list = record.putArray("songs");
        for (int i = 0; i < songs.size(); i++) list.addObject().put("name", songs.get(i).name()).put("job", jobOf(tenant, batch, i));
        return record;
    }

    /** The job of a batch's i-th song: the one {@link Completions#complete} makes for this source and id. */
    private static String jobOf(String tenant, String batch, int song) {
        return JobStore.jobIdForEvent(CompletionRoutes.SOURCE + tenant, batch + "/" + song);
    }

    /**
     * Completes the songs side by side with the batch's models, each as {@code POST /v1/completions} would; a song's
     * failure, whatever it is, is recorded in its job and the others go on.
     *
     * @return each song's job as its completion left it, in the songs' order
     */
    private List<JobRecord> completeAll(RoutingContext context, Tenant caller, String batch, List<Song> songs, ModelRegistry.Lease lease)
            throws InterruptedException {
        List<Integer> indexes = IntStream.range(0, songs.size()).boxed().toList();
        BatchArranger.Completed<JobRecord> completed = new BatchArranger(lease.models(), songsAtOnce).completeEach(indexes,
                (arranger, i) -> complete(context, caller, batch, i, songs.get(i), new Completions.SharedModels(arranger, lease.version())));
        LOG.infof("batch %s/%s: %d songs, %d at once; %d drum and dynamics model calls answered in %d batched calls", caller.id(), batch,
                songs.size(), Math.min(songsAtOnce, songs.size()), completed.modelCalls(), completed.modelBatches());
        List<JobRecord> states = new ArrayList<>(songs.size());
        for (int i = 0; i < songs.size(); i++) {
            Throwable failure = completed.failures().get(i);
            states.add(failure == null ? completed.results().get(i) : failed(caller, batch, i, songs.get(i), failure));
        }
        return states;
    }

    /** One song, completed and handed on as {@code POST /v1/completions} would. */
    private JobRecord complete(RoutingContext context, Tenant caller, String batch, int index, Song song, Completions.SharedModels shared)
            throws InvalidRequestException, ProblemException, IOException {
        String source = CompletionRoutes.SOURCE + caller.id();
        String id = batch + "/" + index;
        CompletionResult result = song.file() == null ? completions.complete(source, id, caller, song.request(), shared)
                : completions.completeFile(source, id, caller, song.request(), song.name(), song.file(), shared);
        synchronized (context) { // one handoff at a time: a busy sink's Retry-After goes on the batch's one response
            return routes.announce(context, result);
        }
    }

    /**
     * The job of a song that failed. A refused song's job says why, or it has none yet and gets one that does; any other
     * failure (a broken part, an {@link Error}) can leave its job unfinished, which then says so too.
     */
    private JobRecord failed(Tenant caller, String batch, int index, Song song, Throwable failure) {
        String job = jobOf(caller.id(), batch, index);
        Optional<JobRecord> found = jobs.find(caller.id(), job);
        boolean refused = failure instanceof InvalidRequestException || failure instanceof ProblemException;
        if (found.isPresent() && (refused || found.get().state() == JobState.FAILED)) return found.get();
        String reason = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        JobRecord failed = found.orElseGet(() -> JobRecord.queued(job, caller.id(), song.name(), 1, Instant.now()))
                .failed(refused ? reason : "the job failed: " + reason, Instant.now());
        jobs.save(failed);
        return failed;
    }

    private void show(RoutingContext context) {
        try {
            String tenant = ApiKeyGuard.ownTenantId(context);
            String batch = RequestNames.checked("batch", context.pathParam("batch"));
            byte[] stored = jobs.objects().get(key(tenant, batch)).orElse(null);
            if (stored == null) {
                throw new ProblemException(404, NO_SUCH_BATCH_TYPE, "No such batch", "no batch " + batch + " for tenant " + tenant, Map.of("batch", batch));
            }
            context.response().putHeader("Content-Type", "application/json")
                    .end(MAPPER.writeValueAsString(withStates((ObjectNode) MAPPER.readTree(stored), job -> jobs.find(tenant, job))));
        } catch (Exception e) {
            context.fail(e);
        }
    }

    /**
     * The record with each song's job state ({@code queued} until its job starts) and error, as {@code jobs} has the jobs,
     * and the count of each state. A song without a job (a batch stored before every song had one) keeps the state it has.
     */
    private static ObjectNode withStates(ObjectNode record, Function<String, Optional<JobRecord>> jobs) {
        ObjectNode counts = MAPPER.createObjectNode();
        for (JsonNode song : record.path("songs")) {
            ObjectNode entry = (ObjectNode) song;
            if (entry.hasNonNull("job")) {
                JobRecord job = jobs.apply(entry.get("job").asText()).orElse(null);
                entry.put("state", (job == null ? JobState.QUEUED : job.state()).id());
                if (job != null && job.error() != null) entry.put("error", job.error());
            }
            counts.put(entry.get("state").asText(), counts.path(entry.get("state").asText()).asInt() + 1);
        }
        record.set("counts", counts);
        return record;
    }

    private static String key(String tenant, String batch) {
        return StorageLayout.batch(tenant, batch);
    }
}
