package dev.merlai.cli;

import dev.merlai.local.InboxWatcher;
import dev.merlai.embedded.S3ProxyServer;
import dev.merlai.storage.JobRecord;
import dev.merlai.storage.JobState;
import dev.merlai.storage.JobStore;
import dev.merlai.storage.ObjectStore;
import dev.merlai.storage.S3Settings;
import dev.merlai.tenancy.TenantRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServeCommandTest {

    @Test
    void anUploadTheWatcherCannotHandOnBecomesTheTenantsFailedJobWithTheReason(@TempDir Path data) throws Exception {
        try (S3ProxyServer s3 = S3ProxyServer.start(data, "127.0.0.1", 0, "merlai", "merlai-secret")) {
            try (ObjectStore store = new ObjectStore(new S3Settings(s3.endpoint(), S3ProxyServer.REGION, "merlai", "merlai-secret", "merlai"))) {
                store.ensureBucket();
                store.put(TenantRegistry.TENANTS + "demo.json", "{}".getBytes(StandardCharsets.UTF_8), "application/json");

                ServeCommand.failedUpload(store, "demo", "tenants/demo/inbox/song.mid", "inbox-1", "the event router refused its event with HTTP 413");
                ServeCommand.failedUpload(store, "ghost", "tenants/ghost/inbox/song.mid", "inbox-2", "no such tenant");

                JobRecord job = new JobStore(store).find("demo", JobStore.jobIdForEvent(InboxWatcher.SOURCE, "inbox-1")).orElseThrow();
                assertEquals(JobState.FAILED, job.state());
                assertEquals("tenants/demo/inbox/song.mid", job.input());
                assertTrue(job.error().contains("HTTP 413"), job.error());
                assertEquals(List.of(), store.list("tenants/ghost/"), "nothing is written for a tenant that does not exist");
            }
        }
    }
}
