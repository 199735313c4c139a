package dev.merlai.functions.render;

import dev.merlai.events.EventTypes;
import dev.merlai.events.PluginsRecommended;
import dev.merlai.events.RenderCompleted;
import dev.merlai.music.Score;
import dev.merlai.music.Track;
import dev.merlai.music.io.ScoreReadException;
import dev.merlai.music.musicxml.MusicXmlWriter;
import dev.merlai.platform.http.InvalidRequestException;
import dev.merlai.platform.http.ProblemException;
import dev.merlai.platform.jobs.ArrangedJob;
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
 * suggestion, as the event names it ({@link PluginsRecommended#programs()}), so the preview and the score sound like the
 * suggestion; a track without one keeps its own program. Rendering the same job again writes the same files. The seconds of audio rendered (rounded up) are
 * billed to the job's tenant once, however often the event comes; the stems are not billed on top.
 */
@ApplicationScoped
public class RenderFunction {

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
    public CloudEvent<RenderCompleted> render(CloudEvent<PluginsRecommended> event) throws InvalidRequestException, ProblemException {
        PluginsRecommended request = event.data();
        if (request == null) throw new InvalidRequestException("job", "the event data needs 'tenant' and 'job'");
        String tenant = request.tenant();
        String job = request.job();
        Map<Integer, Integer> programs = programs(request);
        ArrangedJob arranged = ArrangedJob.load(jobs, tenant, job);
        JobRecord record = arranged.record();
        Score score;
        try {
            score = withPrograms(arranged.score(), programs);
        } catch (ScoreReadException e) {
            jobs.save(record.failed("the stored arrangement is unreadable: " + e.getMessage(), Instant.now()));
            throw new InvalidRequestException("job", "the stored arrangement is unreadable: " + e.getMessage());
        }
        Timer.Sample rendering = Timer.start();
        jobs.putResult(tenant, job, StorageLayout.ARRANGEMENT_MUSICXML, new MusicXmlWriter().write(score),
                "application/vnd.recordare.musicxml+xml");
        jobs.putResult(tenant, job, StorageLayout.PREVIEW_WAV, renderer.audio().wav(score), "audio/wav");
        List<String> files = new ArrayList<>(List.of(StorageLayout.ARRANGEMENT_MUSICXML, StorageLayout.PREVIEW_WAV));
        for (AudioPreview.Stem stem : renderer.audio().stems(score)) {
            jobs.putResult(tenant, job, StorageLayout.STEMS + stem.name(), stem.wav(), "audio/wav");
            files.add(StorageLayout.STEMS + stem.name());
        }
        jobs.putResult(tenant, job, StorageLayout.PIANO_ROLL, renderer.pianoRoll().png(score), "image/png");
        files.add(StorageLayout.PIANO_ROLL);
        rendering.stop(renderTime);
        double seconds = Math.min(score.durationSeconds() + AudioPreview.TAIL_SECONDS, renderer.audio().maxSeconds());
        // Billed before the job is marked done: a redelivery after a crash renders again and the ledger keeps one record.
        usage.record(tenant, job, Unit.AUDIO_SECONDS, (long) Math.ceil(seconds));
        JobRecord done = record.completed(record.modelVersion(), files, JobState.DONE, Instant.now());
        jobs.save(done);

        List<String> keys = done.files().stream().map(file -> StorageLayout.result(tenant, job, file)).toList();
        return CloudEventBuilder.create().type(EventTypes.RENDER_COMPLETED).source(EventTypes.RENDER_SOURCE)
                .id(job + "-rendered").subject(job).build(new RenderCompleted(tenant, job, keys, seconds));
    }

    /** The event's programs, none when it names none; a program outside General MIDI's 0..127 is the sender's mistake. */
    private static Map<Integer, Integer> programs(PluginsRecommended request) throws InvalidRequestException {
        if (request.programs() == null) return Map.of();
        for (Map.Entry<Integer, Integer> program : request.programs().entrySet()) {
            if (program.getValue() == null || program.getValue() < 0 || program.getValue() > 127) {
                throw new InvalidRequestException("programs", "track " + program.getKey() + "'s program must be 0..127, was " + program.getValue());
            }
        }
        return request.programs();
    }

    /** The arrangement with each track's program set to its top suggestion's stand-in; drum kits stay as they are. */
    private static Score withPrograms(Score score, Map<Integer, Integer> programs) {
        List<Track> tracks = new ArrayList<>();
        for (int i = 0; i < score.tracks().size(); i++) {
            Track track = score.tracks().get(i);
            Integer program = programs.get(i);
            tracks.add(program == null || track.channel() == Track.DRUM_CHANNEL ? track : track.withProgram(program));
        }
        return score.withTracks(tracks);
    }
}
