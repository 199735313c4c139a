package dev.merlai.platform.jobs;

import dev.merlai.platform.http.InvalidRequestException;
import dev.merlai.storage.JobRecord;
import dev.merlai.storage.JobStore;
import dev.merlai.storage.StorageLayout;

/**
 * A job whose arrangement is written, as the functions after {@code complete} receive it in an event's data:
 * {@code {tenant, job}}. Anything wrong with those is the sender's mistake (400, not retried).
 */
public record ArrangedJob(JobRecord record, byte[] arrangementJson) {

    public static ArrangedJob load(JobStore jobs, String tenant, String job) throws InvalidRequestException {
        if (tenant == null || job == null) throw new InvalidRequestException("job", "the event data needs 'tenant' and 'job'");
        try {
            StorageLayout.checkName("tenant", tenant);
            StorageLayout.checkName("job", job);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("job", e.getMessage());
        }
        JobRecord record = jobs.find(tenant, job).orElseThrow(() -> new InvalidRequestException("job", "no job " + job + " for tenant " + tenant));
        byte[] json = jobs.result(tenant, job, StorageLayout.ARRANGEMENT_JSON)
                .orElseThrow(() -> new InvalidRequestException("job", "job " + job + " has no arrangement yet"));
        return new ArrangedJob(record, json);
    }
}
