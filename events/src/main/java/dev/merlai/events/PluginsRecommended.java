package dev.merlai.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.Map;

/**
 * The data of a {@link EventTypes#PLUGINS_RECOMMENDED} event: the job whose arrangement now has its suggestions, and
 * what render-midi needs of them, so that it does not read {@code plugins.json} back.
 *
 * @param tenant         the job's tenant
 * @param job            the job id; also the event's subject
 * @param file           the object key of the job's {@code plugins.json}
 * @param catalogVersion the catalog version ranked against (0 when nothing could be ranked)
 * @param error          why there are no suggestions; null when there are
 * @param programs       by track index, the General MIDI program that stands in for the track's top suggestion in the
 *                       preview; a track without one (and every track when this is null or empty) keeps its own program
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PluginsRecommended(String tenant, String job, String file, long catalogVersion, String error, Map<Integer, Integer> programs) {
}
