package dev.merlai.platform.jobs;

import dev.merlai.music.Score;
import dev.merlai.music.io.ReadOptions;
import dev.merlai.music.io.ScoreReadException;
import dev.merlai.music.json.JsonScoreReader;
import dev.merlai.platform.http.InvalidRequestException;
import dev.merlai.platform.http.ProblemException;
import dev.merlai.platform.http.RequestNames;
import dev.merlai.platform.tenancy.EventTenants;
import dev.merlai.storage.JobRecord;
import dev.merlai.storage.JobState;
import dev.merlai.storage.JobStore;
import dev.merlai.storage.StorageLayout;

import java.util.Locale;

/**
 * A job whose arrangement is written, as the functions after {@code complete} receive it in an event's data:
 * {@code {tenant, job}}, the reference to the job's stored {@code arrangement.json}. Anything wrong with those is the
 * sender's mistake (400, not retried). An event may only hand on a job whose arrangement {@code complete} has written
 * (state {@code rendering}, or {@code done} when the event comes again): a job still queued or completing, or failed,
 * is not the sender's to hand on (403). The one reader of a stored arrangement: each function loads it once and
 * parses it once ({@link #score()}).
 */
public final class ArrangedJob {

    private final JobRecord record;
    private final byte[] arrangementJson;
    private Score score;

    public ArrangedJob(JobRecord record, byte[] arrangementJson) {
        this.record = record;
        this.arrangementJson = arrangementJson;
    }

    /** Reads the job's record and its stored arrangement, checking that the event may hand the job on. */
    public static ArrangedJob load(JobStore jobs, String tenant, String job) throws InvalidRequestException, ProblemException {
        if (tenant == null || job == null) throw new InvalidRequestException("job", "the event data needs 'tenant' and 'job'");
        RequestNames.checked("job", "tenant", tenant);
        RequestNames.checked("job", "job", job);
        JobRecord record = jobs.find(tenant, job).orElseThrow(() -> new InvalidRequestException("job", "no job " + job + " for tenant " + tenant));
        if (record.state() != JobState.RENDERING && record.state() != JobState.DONE) {
            throw EventTenants.notAllowed("job " + job + " of tenant " + tenant + " is " + record.state().name().toLowerCase(Locale.ROOT)
                    + ", not arranged: there is nothing to hand on");
        }
        byte[] json = jobs.result(tenant, job, StorageLayout.ARRANGEMENT_JSON)
                .orElseThrow(() -> new InvalidRequestException("job", "job " + job + " has no arrangement yet"));
        return new ArrangedJob(record, json);
    }

    public JobRecord record() {
        return record;
    }

    /**
     * The arrangement as notes, parsed on the first call and kept.
     *
     * @throws ScoreReadException when the stored JSON is not an arrangement
     */
    public synchronized Score score() throws ScoreReadException {
        if (score == null) score = new JsonScoreReader().read(arrangementJson, ReadOptions.DEFAULT).score();
        return score;
    }
}
