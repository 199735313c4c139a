package dev.merlai.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.List;

/**
 * The data of a {@link EventTypes#ARRANGEMENT_COMPLETED} event: which job's arrangement is stored, how it was made, and
 * the report of what was heard and done. The arrangement itself is not in it: it is stored at the job's
 * {@code arrangement.json} (one of {@code files}), and the functions after {@code complete} read it there once, by
 * {@code tenant} and {@code job}. So the event stays a few hundred bytes however long the song, far below what a broker
 * takes (Knative's Kafka broker refuses records over 1 MiB by default, and the arrangement of a long song is more).
 *
 * @param tenant        the job's tenant
 * @param job           the job id; also the event's subject
 * @param style         the style it was arranged in ({@code pop}, {@code lied}); recommend-plugin suggests instruments for it
 * @param files         object keys of the results written so far
 * @param modelVersion  the models that made it
 * @param seed          the seed used
 * @param bars          bars arranged and billed for this job (0 when the job had already been done and billed)
 * @param millis        time spent arranging, in ms (for a cached arrangement the time it took when made; 0 when the job had already been done)
 * @param melody        which track was taken as the melody, and why
 * @param meter         the bar lines followed: kept from the input or inferred, and why
 * @param key           the key used and whether it was given
 * @param form          the song's form heard from its melody, e.g. {@code A(1-8) A(9-16) B(17-24) A'(25-32)}
 * @param intro         the intro, e.g. {@code bars 1-4 (the melody moved 4 bars later)}, or {@code none}
 * @param movedTicks    ticks (480 per quarter) the whole song was moved later to make room for the intro; 0 when not moved
 * @param ending        the ending, e.g. {@code bars 17-18, G:maj to C:maj}, or {@code none}
 * @param generatedBars the bars that were generated, e.g. {@code 1-16}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ArrangementCompleted(String tenant, String job, String style, List<String> files, String modelVersion, long seed, long bars,
                                   long millis, String melody, String meter, String key, String form, String intro, long movedTicks,
                                   String ending, String generatedBars) {
}
