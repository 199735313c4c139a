package dev.merlai.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

/**
 * The content of {@code job.json}: what a job is, where it is, and why it failed if it did.
 *
 * @param job          job id
 * @param tenant       tenant id
 * @param state        current state
 * @param createdAt    when the job was accepted
 * @param updatedAt    when the state last changed
 * @param input        the input's object key, or {@code inline} for notes sent in the request
 * @param modelVersion the models that arranged it (empty before completion)
 * @param seed         the random seed used
 * @param error        why it failed; empty unless failed
 * @param files        result files written so far, relative to the job's results folder
 * @param request      a fingerprint of the request that started the job (empty when unknown): a retry with the same
 *                     request id but another request is a conflict, not this job
 */
public record JobRecord(String job, String tenant, JobState state, Instant createdAt, Instant updatedAt, String input,
                        String modelVersion, long seed, String error, List<String> files, String request) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public JobRecord {
        files = List.copyOf(files);
    }

    public static JobRecord queued(String job, String tenant, String input, long seed, Instant now) {
        return new JobRecord(job, tenant, JobState.QUEUED, now, now, input, "", seed, "", List.of(), "");
    }

    public JobRecord advance(JobState newState, Instant now) {
        return new JobRecord(job, tenant, newState, createdAt, now, input, modelVersion, seed, "", files, request);
    }

    /** The job, recorded as started by the request with this fingerprint. */
    public JobRecord forRequest(String fingerprint) {
        return new JobRecord(job, tenant, state, createdAt, updatedAt, input, modelVersion, seed, error, files, fingerprint);
    }

    public JobRecord completed(String version, List<String> newFiles, JobState newState, Instant now) {
        List<String> all = new java.util.ArrayList<>(files);
        for (String file : newFiles) if (!all.contains(file)) all.add(file);
        return new JobRecord(job, tenant, newState, createdAt, now, input, version, seed, "", all, request);
    }

    public JobRecord failed(String reason, Instant now) {
        return new JobRecord(job, tenant, JobState.FAILED, createdAt, now, input, modelVersion, seed, reason, files, request);
    }

    public byte[] toJson() {
        ObjectNode node = MAPPER.createObjectNode()
                .put("job", job).put("tenant", tenant).put("state", state.id())
                .put("createdAt", createdAt.toString()).put("updatedAt", updatedAt.toString())
                .put("input", input).put("modelVersion", modelVersion).put("seed", seed).put("error", error);
        files.forEach(node.putArray("files")::add);
        if (!request.isEmpty()) node.put("request", request);
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JobRecord fromJson(byte[] json) {
        try {
            JsonNode node = MAPPER.readTree(json);
            List<String> files = new java.util.ArrayList<>();
            node.path("files").forEach(f -> files.add(f.asText()));
            return new JobRecord(node.get("job").asText(), node.get("tenant").asText(), JobState.fromId(node.get("state").asText()),
                    Instant.parse(node.get("createdAt").asText()), Instant.parse(node.get("updatedAt").asText()),
                    node.path("input").asText(), node.path("modelVersion").asText(), node.path("seed").asLong(),
                    node.path("error").asText(), files, node.path("request").asText());
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("job.json is unreadable: " + e.getMessage(), e);
        }
    }
}
