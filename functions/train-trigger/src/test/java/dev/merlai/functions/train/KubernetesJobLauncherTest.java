package dev.merlai.functions.train;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The Job a training request becomes, made from the template kept with the manifests (knative/base/54-training-job.yaml). */
class KubernetesJobLauncherTest {

    private static Job template() throws Exception {
        Path file = Path.of(System.getProperty("merlai.repo.root", "../..")).resolve("knative/base/54-training-job.yaml");
        try (InputStream in = Files.newInputStream(file)) {
            Job job = Serialization.unmarshal(in, Job.class);
            // what the API server adds to a stored Job, which must not reach a new one
            job.getMetadata().setUid("0b6c");
            job.getMetadata().setResourceVersion("42");
            job.getSpec().setSelector(new io.fabric8.kubernetes.api.model.LabelSelector(null, Map.of("controller-uid", "0b6c")));
            job.getSpec().getTemplate().getMetadata().getLabels().put("controller-uid", "0b6c");
            job.getSpec().getTemplate().getMetadata().getLabels().put("batch.kubernetes.io/job-name", "merlai-training-template");
            return job;
        }
    }

    @Test
    void aRequestBecomesARunningCopyOfTheTemplateWithItsOwnNameLabelsAndSettings() throws Exception {
        TrainingJob request = TrainingJob.queued("mA1_b.c", "acme", "songs", "lied", true, List.of(), "kubernetes", Instant.now());
        Job job = KubernetesJobLauncher.jobFor(template(), request);
        assertEquals("merlai-train-ma1-b-c", job.getMetadata().getName());
        assertEquals("merlai", job.getMetadata().getNamespace());
        assertNull(job.getMetadata().getUid());
        assertNull(job.getMetadata().getResourceVersion());
        assertEquals("acme", job.getMetadata().getLabels().get("merlai.dev/tenant"));
        assertEquals("gpu", job.getMetadata().getLabels().get("merlai.dev/accelerator"));
        assertFalse(job.getSpec().getSuspend(), "the template is suspended, the job is not");
        assertNull(job.getSpec().getSelector());
        assertFalse(job.getSpec().getTemplate().getMetadata().getLabels().keySet().stream().anyMatch(k -> k.contains("controller-uid") || k.contains("job-name")));
        Map<String, String> env = job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .filter(e -> e.getValue() != null).collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
        assertEquals(Map.of("OPENBLAS_NUM_THREADS", "1", "MERLAI_TENANT", "acme", "MERLAI_MODEL", "mA1_b.c", "MERLAI_STYLE", "lied",
                "MERLAI_QUICK", "true"), env);
        assertEquals("merlai-training", job.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
    }
}
