package dev.merlai.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.List;

/**
 * The data of a {@link EventTypes#RENDER_COMPLETED} event: the job is done.
 *
 * @param tenant  the job's tenant
 * @param job     the job id; also the event's subject
 * @param files   object keys of every result of the job
 * @param seconds length of the audio preview, in seconds
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RenderCompleted(String tenant, String job, List<String> files, double seconds) {
}
