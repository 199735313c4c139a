package dev.merlai.functions.train;

import dev.merlai.events.TrainRequest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.merlai.events.EventTypes;
import dev.merlai.platform.http.InvalidRequestException;
import dev.merlai.platform.http.ProblemException;
import dev.merlai.platform.metrics.Durations;
import dev.merlai.storage.JobStore;
import dev.merlai.storage.ObjectStore;
import dev.merlai.storage.StorageLayout;
import dev.merlai.tenancy.Plans;
import dev.merlai.tenancy.Tenant;
import dev.merlai.tenancy.limits.Quotas;
import dev.merlai.tenancy.usage.Unit;
import dev.merlai.tenancy.usage.UsageLedger;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Training jobs: validate the set, store the accepted pieces, start the launcher, and keep the job record
 * ({@code training.json}) and the events in step with what the training process reports. A tenant may run at most
 * {@code merlai.training.max-concurrent-per-tenant} jobs at once.
 *
 * <p>Events of one job, in order: {@code training.progress} (state {@code training}, the validation report), one
 * {@code training.progress} per line the training prints (epoch, loss, validation metrics), then exactly one of
 * {@code training.completed} (the model is in place) or {@code training.failed} (a rejected set, a failed run, or a
 * cancel: {@code state} says which). Every event's data is the job record.
 *
 * <p>Metering: a job is billed its training minutes once, when it ends, in the usage ledger under the model id
 * ({@code system/usage/<tenant>/<model>/training-minutes.json}). A finished job is billed its time rounded up to whole
 * minutes; a failed or cancelled one only the whole minutes it trained (under a minute is free: a set that breaks the
 * training at once, or a cancel right after the start, costs nothing); a set rejected before training is never billed.
 * A tenant whose plan's monthly training-minute quota is used up gets no new job (402).
 */
@ApplicationScoped
public class Trainings {

    private static final Logger LOG = Logger.getLogger(Trainings.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    static final String LIMIT_TYPE = "https://merlai.dev/problems/training-limit";
    static final String REJECTED_TYPE = "https://merlai.dev/problems/training-set-rejected";
    static final String NO_SUCH_MODEL_TYPE = "https://merlai.dev/problems/no-such-model";
    static final String NOT_RUNNING_TYPE = "https://merlai.dev/problems/training-not-running";

    @Inject
    ObjectStore store;

    @Inject
    TrainingSets sets;

    @Inject
    TrainingEvents events;

    @Inject
    Plans plans;

    @Inject
    Quotas quotas;

    @Inject
    UsageLedger usage;

    @Inject
    TrainingSettings settings;

    @Inject
    MeterRegistry metrics;

    private TrainingLauncher launcher;
    private Timer trainTime;
    private final Map<String, TrainingLauncher.Run> running = new ConcurrentHashMap<>();
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Clock clock = Clock.systemUTC();

    void init(@Observes StartupEvent event) {
        trainTime = Durations.histogram(metrics, "merlai.train", "Wall-clock time of one training run, from start to end (done or failed)", Duration.ofHours(6));
        launcher = switch (settings.launcher().strip()) {
            case "local" -> new LocalProcessLauncher(store, settings.python(), Path.of(settings.dir()), settings.threads());
            case "kubernetes" -> new KubernetesJobLauncher(new KubernetesClientBuilder().build(), settings.jobTemplate(), settings.namespace());
            default -> throw new IllegalStateException("merlai.training.launcher must be local or kubernetes, was '" + settings.launcher() + "'");
        };
        LOG.infof("training runs on the %s launcher", launcher.name());
    }

    void stop(@Observes ShutdownEvent event) {
        executor.shutdownNow();
    }

    /**
     * Accepts a training request: the same request id (event source + id, or an Idempotency-Key) finds the same job.
     *
     * @param account the tenant: the API key's, or for an event the active tenant its data names
     * @throws InvalidRequestException a malformed field (400)
     * @throws ProblemException        the tenant runs too many jobs already (429), or the set cannot be trained on (400,
     *                                 with the per-file report)
     * @throws dev.merlai.tenancy.limits.QuotaExceededException the month's training minutes are used up (402)
     */
    public TrainingJob start(String source, String requestId, Tenant account, TrainRequest request) throws InvalidRequestException, ProblemException {
        if (request == null) throw new InvalidRequestException("", "the request has no body");
        String tenant = account.id();
        String set = checked("set", request.set);
        String style = request.style == null ? "pop" : request.style;
        if (!style.equals("pop") && !style.equals("lied")) throw new InvalidRequestException("style", "style must be pop or lied, was '" + style + "'");
        String model = requestId == null ? "m" + UUID.randomUUID().toString().replace("-", "").substring(0, 16)
                : "m" + JobStore.jobIdForEvent(source == null ? "" : source, requestId).substring(1);
        Optional<TrainingJob> existing = find(tenant, model);
        if (existing.isPresent()) return existing.get();
        quotas.check(tenant, plans.of(account), Unit.TRAINING_MINUTES);

        TrainingJob job;
        synchronized (this) {
            long active = list(tenant).stream().filter(j -> j.state().isActive()).count();
            if (active >= settings.maxConcurrent()) {
                throw new ProblemException(429, LIMIT_TYPE, "Too many training jobs", "tenant " + tenant + " already runs " + active
                        + " training jobs; at most " + settings.maxConcurrent() + " at once", Map.of("limit", settings.maxConcurrent(), "active", active));
            }
            TrainingSets.Validation validation = sets.validate(tenant, set);
            job = TrainingJob.queued(model, tenant, set, style, request.quick, validation.report(), launcher.name(), clock.instant());
            String problem = sets.setProblem(validation);
            if (!problem.isEmpty()) {
                TrainingJob failed = job.ended(TrainingState.FAILED, problem, clock.instant());
                save(failed);
                events.send(EventTypes.TRAINING_FAILED, model, failed.toNode());
                List<Map<String, Object>> pieces = new ArrayList<>();
                for (PieceReport p : validation.report()) {
                    pieces.add(Map.of("file", p.file(), "accepted", p.accepted(), "bars", p.bars(), "reason", p.reason()));
                }
                throw new ProblemException(400, REJECTED_TYPE, "Training set rejected", problem, Map.of("model", model, "pieces", pieces));
            }
            String pieces = StorageLayout.model(tenant, model) + StorageLayout.PIECES;
            validation.accepted().forEach((name, json) -> store.put(pieces + name, json, "application/json"));
            save(job);
        }
        TrainingJob accepted = job;
        executor.submit(() -> run(accepted));
        return job;
    }

    private void run(TrainingJob job) {
        String key = job.tenant() + "/" + job.model();
        TrainingJob started = job.started(clock.instant());
        save(started);
        events.send(EventTypes.TRAINING_PROGRESS, job.model(), started.toNode());
        StringBuilder failure = new StringBuilder();
        int code;
        try {
            TrainingLauncher.Run run = launcher.start(started, line -> onLine(job.tenant(), job.model(), line, failure));
            running.put(key, run);
            code = run.awaitExit();
        } catch (IOException | RuntimeException e) {
            LOG.errorf(e, "training %s failed to run", key);
            failure.append(e.getMessage());
            code = -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } finally {
            running.remove(key);
        }
        synchronized (this) {
            TrainingJob current = find(job.tenant(), job.model()).orElse(started);
            if (current.state() == TrainingState.CANCELLED) return;
            TrainingJob ended = code == 0 ? current.ended(TrainingState.DONE, "", clock.instant())
                    : current.ended(TrainingState.FAILED, failure.isEmpty() ? "the training process exited with code " + code : failure.toString(), clock.instant());
            bill(ended); // before the record says it ended: whoever sees the end sees the bill
            trainTime.record(Duration.ofMillis(Math.round(ended.trainingSeconds() * 1000)));
            save(ended);
            events.send(code == 0 ? EventTypes.TRAINING_COMPLETED : EventTypes.TRAINING_FAILED, job.model(), ended.toNode());
            LOG.infof("training %s %s after %.1f s", key, ended.state().id(), ended.trainingSeconds());
        }
    }

    /** One line of the training's output: a JSON event ({@code merlai_training finetune}) or other output, logged. */
    private void onLine(String tenant, String model, String line, StringBuilder failure) {
        JsonNode event;
        try {
            event = line.startsWith("{") ? MAPPER.readTree(line) : null;
        } catch (IOException e) {
            event = null;
        }
        if (event == null || !event.has("event")) {
            LOG.debugf("training %s: %s", model, line);
            return;
        }
        if (event.path("event").asText().equals("failed")) {
            failure.append(event.path("error").asText());
            return;
        }
        synchronized (this) {
            Optional<TrainingJob> current = find(tenant, model);
            if (current.isEmpty() || !current.get().state().isActive()) return;
            TrainingJob updated = current.get().withProgress(event, clock.instant());
            save(updated);
            events.send(EventTypes.TRAINING_PROGRESS, model, updated.toNode());
        }
    }

    /**
     * Stops a running job: its record says {@code cancelled} and a {@code training.failed} event says so.
     *
     * @throws ProblemException no such job for this tenant (404), or it has ended already (409)
     */
    public TrainingJob cancel(String tenant, String model) throws ProblemException {
        TrainingJob cancelled;
        synchronized (this) {
            TrainingJob job = find(tenant, model).orElseThrow(() -> noSuchModel(tenant, model));
            if (!job.state().isActive()) {
                throw new ProblemException(409, NOT_RUNNING_TYPE, "Training not running", "training " + model + " has ended (" + job.state().id() + ")",
                        Map.of("state", job.state().id()));
            }
            cancelled = job.ended(TrainingState.CANCELLED, "cancelled by the tenant", clock.instant());
            bill(cancelled);
            save(cancelled);
        }
        TrainingLauncher.Run run = running.get(tenant + "/" + model);
        if (run != null) run.cancel();
        events.send(EventTypes.TRAINING_FAILED, model, cancelled.toNode());
        return cancelled;
    }

    /**
     * Records an ended job's training minutes, once however often it is called (the ledger keeps one record per
     * tenant, model and unit). A ledger that cannot be written is logged, not thrown: the job's own record still holds
     * its training time.
     */
    void bill(TrainingJob ended) {
        long minutes = ended.billableMinutes();
        if (minutes == 0) return;
        try {
            usage.record(ended.tenant(), ended.model(), Unit.TRAINING_MINUTES, minutes);
        } catch (RuntimeException e) {
            LOG.errorf(e, "training %s/%s: %d training minutes not recorded", ended.tenant(), ended.model(), minutes);
        }
    }

    static ProblemException noSuchModel(String tenant, String model) {
        return new ProblemException(404, NO_SUCH_MODEL_TYPE, "No such model", "tenant " + tenant + " has no model " + model, Map.of("model", model));
    }

    public Optional<TrainingJob> find(String tenant, String model) {
        try {
            return store.get(StorageLayout.model(tenant, model) + StorageLayout.TRAINING_JOB).map(TrainingJob::fromJson);
        } catch (IllegalArgumentException malformedName) {
            return Optional.empty();
        }
    }

    /** The tenant's training jobs and models, newest first. */
    public List<TrainingJob> list(String tenant) {
        String prefix = StorageLayout.models(tenant);
        List<TrainingJob> jobs = new ArrayList<>();
        for (String key : store.list(prefix)) {
            if (key.endsWith("/" + StorageLayout.TRAINING_JOB) && key.indexOf('/', prefix.length()) == key.length() - StorageLayout.TRAINING_JOB.length() - 1) {
                store.get(key).map(TrainingJob::fromJson).ifPresent(jobs::add);
            }
        }
        jobs.sort(Comparator.comparing(TrainingJob::createdAt).reversed());
        return jobs;
    }

    private void save(TrainingJob job) {
        store.put(StorageLayout.model(job.tenant(), job.model()) + StorageLayout.TRAINING_JOB, job.toJson(), "application/json");
    }

    private static String checked(String field, String value) throws InvalidRequestException {
        try {
            return StorageLayout.checkName(field, value);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(field, e.getMessage());
        }
    }
}
