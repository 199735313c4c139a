package dev.merlai.functions.train;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.jboss.logging.Logger;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Training in a cluster: a Kubernetes Job made from the template kept with the manifests (the suspended Job
 * {@code merlai-training-template} of {@code knative/base/54-training-job.yaml}; overlays/gpu gives it the GPU node
 * affinity, toleration and limit), read and created through the Kubernetes API. The Job's container ({@code src/main/docker/Dockerfile.training})
 * reads the pieces from the object store, trains and writes the model back; its log lines are followed here. Cancel
 * deletes the Job and its pod.
 */
final class KubernetesJobLauncher implements TrainingLauncher {

    private static final Logger LOG = Logger.getLogger(KubernetesJobLauncher.class);
    private static final long POLL_MS = 5_000;

    private final KubernetesClient client;
    private final String template;
    private final String namespace;

    KubernetesJobLauncher(KubernetesClient client, String template, String namespace) {
        this.client = client;
        this.template = template;
        this.namespace = namespace;
    }

    @Override
    public String name() {
        return "kubernetes";
    }

    /**
     * The template with this job's name, labels and settings, not suspended; everything else (image, resources,
     * placement, deadlines) as the template says. What the API server added to the template is left out.
     */
    static Job jobFor(Job template, TrainingJob job) {
        Job made = Serialization.clone(template);
        String name = jobName(job);
        made.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name)
                .withNamespace(template.getMetadata().getNamespace())
                .withLabels(new java.util.HashMap<>(template.getMetadata().getLabels() == null ? Map.of() : template.getMetadata().getLabels()))
                .build());
        made.setStatus(null);
        made.getSpec().setSuspend(false);
        made.getSpec().setSelector(null);
        made.getSpec().setManualSelector(null);
        var podLabels = made.getSpec().getTemplate().getMetadata().getLabels();
        if (podLabels != null) podLabels.keySet().removeIf(k -> k.contains("controller-uid") || k.contains("job-name"));
        made.getMetadata().getLabels().put("merlai.dev/tenant", job.tenant());
        made.getMetadata().getLabels().put("merlai.dev/model", job.model().toLowerCase(Locale.ROOT));
        var container = made.getSpec().getTemplate().getSpec().getContainers().get(0);
        List<EnvVar> env = new ArrayList<>(container.getEnv() == null ? List.of() : container.getEnv());
        env.add(new EnvVar("MERLAI_TENANT", job.tenant(), null));
        env.add(new EnvVar("MERLAI_MODEL", job.model(), null));
        env.add(new EnvVar("MERLAI_STYLE", job.style(), null));
        env.add(new EnvVar("MERLAI_QUICK", Boolean.toString(job.quick()), null));
        container.setEnv(env);
        return made;
    }

    /** A DNS-1123 name for the Job: {@code merlai-train-<model>}, lower case, '.' and '_' as '-'. */
    static String jobName(TrainingJob job) {
        String name = "merlai-train-" + job.model().toLowerCase(Locale.ROOT).replaceAll("[._]", "-");
        return name.length() > 63 ? name.substring(0, 63).replaceAll("-+$", "") : name;
    }

    @Override
    public Run start(TrainingJob job, Consumer<String> lines) throws IOException {
        Job templateJob = client.batch().v1().jobs().inNamespace(namespace).withName(template).get();
        if (templateJob == null) throw new IOException("no training Job template " + namespace + "/" + template + " (knative/base/54-training-job.yaml)");
        Job made = jobFor(templateJob, job);
        var resource = client.batch().v1().jobs().inNamespace(namespace).resource(made);
        resource.create();
        String name = made.getMetadata().getName();
        LOG.infof("training %s/%s: Job %s/%s created", job.tenant(), job.model(), namespace, name);
        Thread follower = new Thread(() -> follow(name, lines), "train-" + job.model());
        follower.setDaemon(true);
        follower.start();
        return new Run() {
            @Override
            public int awaitExit() throws InterruptedException {
                while (true) {
                    Job current = client.batch().v1().jobs().inNamespace(namespace).withName(name).get();
                    if (current == null) return 137; // deleted: cancelled
                    JobStatus status = current.getStatus();
                    if (status != null && status.getSucceeded() != null && status.getSucceeded() > 0) break;
                    if (status != null && status.getFailed() != null && status.getFailed() > current.getSpec().getBackoffLimit()) return 1;
                    TimeUnit.MILLISECONDS.sleep(POLL_MS);
                }
                follower.join(POLL_MS);
                return 0;
            }

            @Override
            public void cancel() {
                client.batch().v1().jobs().inNamespace(namespace).withName(name).withPropagationPolicy(
                        io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND).delete();
            }
        };
    }

    /** Follows the Job's pod log once the pod runs, line by line. */
    private void follow(String name, Consumer<String> lines) {
        var job = client.batch().v1().jobs().inNamespace(namespace).withName(name);
        try {
            job.withReadyWaitTimeout((int) TimeUnit.MINUTES.toMillis(30));
            try (LogWatch watch = job.watchLog();
                 BufferedReader in = new BufferedReader(new InputStreamReader(watch.getOutput(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) lines.accept(line);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warnf("training Job %s: its log could not be followed (%s); the job record still gets its end", name, e.getMessage());
        }
    }
}
