package dev.merlai.platform.jobs;

import dev.merlai.platform.http.InvalidRequestException;
import dev.merlai.platform.http.RequestNames;
import dev.merlai.storage.JobRecord;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A stored arrangement handed on by an event: parsed once however often a function asks for its notes. */
class ArrangedJobTest {

    private static final Path ODE = Path.of(System.getProperty("merlai.repo.root", "..")).resolve("examples/ode-to-joy.json");

    @Test
    void theArrangementIsParsedOnceAndKept() throws Exception {
        ArrangedJob job = new ArrangedJob(JobRecord.queued("j1", "demo", "inbox/demo/ode.json", 7, Instant.now()), Files.readAllBytes(ODE));

        assertTrue(job.score().melody().isPresent());
        assertSame(job.score(), job.score());
    }

    @Test
    void aBadTenantInAnEventsJobReferenceIsA400NamingTheReference() {
        InvalidRequestException refused = assertThrows(InvalidRequestException.class, () -> RequestNames.checked("job", "tenant", "../other"));

        assertEquals("job", refused.field());
        assertTrue(refused.getMessage().contains("tenant"), refused.getMessage());
    }
}
