package dev.merlai.functions.render;

import dev.merlai.events.EventTypes;
import dev.merlai.music.Score;
import dev.merlai.music.Track;
import dev.merlai.music.io.ReadOptions;
import dev.merlai.music.io.ScoreReadException;
import dev.merlai.music.json.JsonScoreReader;
import dev.merlai.music.musicxml.MusicXmlWriter;
import dev.merlai.platform.http.InvalidRequestException;
import dev.merlai.platform.http.ProblemException;
import dev.merlai.platform.jobs.ArrangedJob;
import dev.merlai.plugins.PluginsDocument;
import dev.merlai.render.AudioPreview;
import dev.merlai.storage.JobRecord;
import dev.merlai.storage.JobState;
import dev.merlai.storage.JobStore;
import dev.merlai.storage.StorageLayout;
import dev.merlai.tenancy.usage.Unit;
import dev.merlai.tenancy.usage.UsageLedger;
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
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code render-midi} function: on {@code dev.merlai.plugins.recommended}, reads the job's arrangement
 * and writes the MusicXML score ({@code arrangement.musicxml}), the audio preview, one WAV per track ({@code stems/<track>.wav}) and the piano
 * roll beside it, marks the job done and
 * answers {@code dev.merlai.render.completed}. The Standard MIDI File ({@code arrangement.mid}) is {@code complete}'s:
 * each result file has one writer. Each track plays the General MIDI stand-in of its top plugin
 * suggestion ({@code plugins.json}), so the preview and the score sound like the suggestion; a track without one keeps its own
 * program. Rendering the same job again writes the same files. The seconds of audio rendered (rounded up) are
 * billed to the job's tenant once, however often the event comes; the stems are not billed on top.
 */
@ApplicationScoped
public class RenderFunction {

    private static final Logger LOG = Logger.getLogger(RenderFunction.class);

    @Inject
    JobStore jobs;

    @Inject
    Renderer renderer;

    @Inject
    UsageLedger usage;

    @Inject
    MeterRegistry metrics;

    private Timer renderTime;

    /** Registered at start, so that the histogram is scraped (at 0) before the first job. */
    void registerMetrics(@Observes StartupEvent event) {
        renderTime = Durations.histogram(metrics, "merlai.render", "Time to render one job: MIDI file, audio preview, stems and piano roll", Duration.ofMinutes(5));
    }

    @Funq("render-midi")
    @CloudEventMapping(trigger = EventTypes.PLUGINS_RECOMMENDED, responseType = EventTypes.RENDER_COMPLETED,
            responseSource = EventTypes.RENDER_SOURCE)
    public CloudEvent<RenderResult> render(CloudEvent<RenderRequest> event) throws InvalidRequestException, ProblemException {
        RenderRequest request = event.data();
        if (request == null) throw new InvalidRequestException("job", "the event data needs 'tenant' and 'job'");
        ArrangedJob arranged = ArrangedJob.load(jobs, request.tenant, request.job);
        JobRecord record = arranged.record();
        byte[] json = arranged.arrangementJson();
        Score score;
        try {
            score = withSuggestedPrograms(new JsonScoreReader().read(json, ReadOptions.DEFAULT).score(), request);
        } catch (ScoreReadException e) {
            jobs.save(record.failed("the stored arrangement is unreadable: " + e.getMessage(), Instant.now()));
            throw new InvalidRequestException("job", "the stored arrangement is unreadable: " + e.getMessage());
        }
        Timer.Sample rendering = Timer.start();
        jobs.putResult(request.tenant, request.job, StorageLayout.ARRANGEMENT_MUSICXML, new MusicXmlWriter().write(score),
                "application/vnd.recordare.musicxml+xml");
        jobs.putResult(request.tenant, request.job, StorageLayout.PREVIEW_WAV, renderer.audio().wav(score), "audio/wav");
        List<String> files = new ArrayList<>(List.of(StorageLayout.ARRANGEMENT_MUSICXML, StorageLayout.PREVIEW_WAV));
        for (AudioPreview.Stem stem : renderer.audio().stems(score)) {
            jobs.putResult(request.tenant, request.job, StorageLayout.STEMS + stem.name(), stem.wav(), "audio/wav");
            files.add(StorageLayout.STEMS + stem.name());
        }
        jobs.putResult(request.tenant, request.job, StorageLayout.PIANO_ROLL, renderer.pianoRoll().png(score), "image/png");
        files.add(StorageLayout.PIANO_ROLL);
        rendering.stop(renderTime);
        double seconds = Math.min(score.durationSeconds() + AudioPreview.TAIL_SECONDS, renderer.audio().maxSeconds());
        // Billed before the job is marked done: a redelivery after a crash renders again and the ledger keeps one record.
        usage.record(request.tenant, request.job, Unit.AUDIO_SECONDS, (long) Math.ceil(seconds));
        JobRecord done = record.completed(record.modelVersion(), files, JobState.DONE, Instant.now());
        jobs.save(done);

        RenderResult result = new RenderResult();
        result.tenant = request.tenant;
        result.job = request.job;
        result.files = new ArrayList<>();
        for (String file : done.files()) result.files.add(StorageLayout.result(request.tenant, request.job, file));
        result.seconds = seconds;
        return CloudEventBuilder.create().type(EventTypes.RENDER_COMPLETED).source(EventTypes.RENDER_SOURCE)
                .id(request.job + "-rendered").subject(request.job).build(result);
    }

    /** The arrangement with each track's program set to its top suggestion's stand-in; drum kits stay as they are. */
    private Score withSuggestedPrograms(Score score, RenderRequest request) {
        Map<Integer, Integer> programs;
        try {
            programs = jobs.result(request.tenant, request.job, PluginsDocument.FILE).map(PluginsDocument::programs).orElse(Map.of());
        } catch (IllegalArgumentException unreadable) {
            LOG.warnf("job %s: %s; rendering with the arrangement's own programs", request.job, unreadable.getMessage());
            return score;
        }
        List<Track> tracks = new ArrayList<>();
        for (int i = 0; i < score.tracks().size(); i++) {
            Track track = score.tracks().get(i);
            Integer program = programs.get(i);
            tracks.add(program == null || track.channel() == Track.DRUM_CHANNEL ? track : track.withProgram(program));
        }
        return score.withTracks(tracks);
    }
}
