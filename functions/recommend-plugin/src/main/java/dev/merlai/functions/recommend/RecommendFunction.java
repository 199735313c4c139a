package dev.merlai.functions.recommend;

import dev.merlai.events.ArrangementCompleted;
import dev.merlai.events.EventTypes;
import dev.merlai.events.PluginsRecommended;
import dev.merlai.music.Score;
import dev.merlai.music.io.ScoreReadException;
import dev.merlai.platform.http.InvalidRequestException;
import dev.merlai.platform.http.ProblemException;
import dev.merlai.platform.jobs.ArrangedJob;
import dev.merlai.plugins.CatalogStore;
import dev.merlai.plugins.PluginsDocument;
import dev.merlai.plugins.Ranker;
import dev.merlai.storage.JobRecord;
import dev.merlai.storage.JobStore;
import dev.merlai.storage.StorageLayout;
import dev.merlai.storage.StorageUnavailableException;
import io.quarkus.funqy.Funq;
import io.quarkus.funqy.knative.events.CloudEvent;
import io.quarkus.funqy.knative.events.CloudEventBuilder;
import io.quarkus.funqy.knative.events.CloudEventMapping;
import dev.merlai.platform.metrics.Durations;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The {@code recommend-plugin} function: on {@code dev.merlai.arrangement.completed}, ranks catalog entries for each
 * track of the job's arrangement (filtered by the tenant's preferences, moved by their feedback), writes
 * {@code plugins.json} beside the other results and answers {@code dev.merlai.plugins.recommended}, on which
 * {@code render-midi} renders. When the suggestions cannot be made (an unreadable arrangement, a broken catalog),
 * it still answers, with the reason in {@code plugins.json} and the event, so the job is still rendered with its
 * own programs. Only storage that is down fails the event, so the broker retries it.
 */
@ApplicationScoped
public class RecommendFunction {

    private static final Logger LOG = Logger.getLogger(RecommendFunction.class);

    @Inject
    JobStore jobs;

    @Inject
    CatalogStore catalog;

    @Inject
    TenantTaste taste;

    @Inject
    Ranker ranker;

    @ConfigProperty(name = "merlai.plugins.top-k", defaultValue = "3")
    int topK;

    @ConfigProperty(name = "merlai.plugins.default-style", defaultValue = "pop")
    String defaultStyle;

    @Inject
    MeterRegistry metrics;

    private Timer recommendTime;

    /** Registered at start, so that the histogram is scraped (at 0) before the first job. */
    void registerMetrics(@Observes StartupEvent event) {
        recommendTime = Durations.histogram(metrics, "merlai.recommend", "Time to rank plugin suggestions for every track of one arrangement", Duration.ofSeconds(30));
    }

    @Funq("recommend-plugin")
    @CloudEventMapping(trigger = EventTypes.ARRANGEMENT_COMPLETED, responseType = EventTypes.PLUGINS_RECOMMENDED,
            responseSource = EventTypes.RECOMMEND_SOURCE)
    public CloudEvent<PluginsRecommended> recommend(CloudEvent<ArrangementCompleted> event) throws InvalidRequestException, ProblemException {
        ArrangementCompleted request = event.data();
        if (request == null) throw new InvalidRequestException("job", "the event data needs 'tenant' and 'job'");
        ArrangedJob arranged = ArrangedJob.load(jobs, request.tenant(), request.job());
        JobRecord record = arranged.record();
        PluginsDocument document = recommendTime.record(() -> suggest(request, arranged));
        jobs.putResult(request.tenant(), request.job(), PluginsDocument.FILE, document.toJson(), "application/json");
        jobs.save(record.completed(record.modelVersion(), List.of(PluginsDocument.FILE), record.state(), Instant.now()));

        PluginsRecommended result = new PluginsRecommended(request.tenant(), request.job(), StorageLayout.result(request.tenant(), request.job(), PluginsDocument.FILE),
                document.catalogVersion(), document.error(), document.programs());
        return CloudEventBuilder.create().type(EventTypes.PLUGINS_RECOMMENDED).source(EventTypes.RECOMMEND_SOURCE)
                .id(request.job() + "-plugins").subject(request.job()).build(result);
    }

    private PluginsDocument suggest(ArrangementCompleted request, ArrangedJob arranged) {
        Score score = null;
        try {
            score = arranged.score();
            String style = request.style() == null || request.style().isBlank() ? defaultStyle : request.style();
            return PluginsDocument.recommend(request.tenant(), request.job(), score, style, catalog.current(), taste.preferences(request.tenant()),
                    taste.affinity(request.tenant()), ranker, topK);
        } catch (StorageUnavailableException e) {
            throw e;
        } catch (ScoreReadException | RuntimeException e) {
            LOG.warnf("no plugin suggestions for job %s of %s: %s", request.job(), request.tenant(), e.getMessage());
            return PluginsDocument.failed(request.tenant(), request.job(), score, "no suggestions: " + e.getMessage());
        }
    }
}
