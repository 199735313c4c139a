package dev.merlai.functions.complete;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import dev.merlai.arranger.harmony.ChordLayer;
import dev.merlai.events.ArrangementCompleted;

import java.util.List;

/**
 * The answer to a completion over HTTP: what the {@code dev.merlai.arrangement.completed} event announces, and for the
 * caller alone what does not travel on through the broker.
 *
 * @param completed          the job and its report, as the event carries them (written flat, beside the rest)
 * @param chordAlternatives  per 8-bar phrase whose chords the model chose: the chosen progression, then the two next-best,
 *                           each with its probability and in the syntax of {@code chords} (pass one back as {@code chords} to take it)
 * @param arrangement        the arrangement in Merlai's JSON note format, when the request asked for it inline; else null
 */
public record CompletionResult(@JsonUnwrapped ArrangementCompleted completed, List<ChordLayer.Spelled> chordAlternatives, JsonNode arrangement) {
}
