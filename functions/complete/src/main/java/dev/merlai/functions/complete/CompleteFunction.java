package dev.merlai.functions.complete;

import dev.merlai.platform.http.InvalidRequestException;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.merlai.arranger.ArrangeException;
import dev.merlai.arranger.ArrangeOptions;
import dev.merlai.arranger.Arrangement;
import dev.merlai.arranger.BarRange;
import dev.merlai.arranger.Style;
import dev.merlai.events.EventTypes;
import dev.merlai.music.io.ReadOptions;
import dev.merlai.music.io.ReadResult;
import dev.merlai.music.io.ScoreReadException;
import dev.merlai.music.json.JsonScoreReader;
import dev.merlai.music.json.ScoreJson;
import io.quarkus.funqy.Funq;
import io.quarkus.funqy.knative.events.CloudEventMapping;
import jakarta.inject.Inject;

/** The {@code complete} function: a thin adapter from a request to the arranger and back. */
public class CompleteFunction {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Inject
    ModelService models;

    @Funq("complete")
    @CloudEventMapping(responseType = EventTypes.ARRANGEMENT_COMPLETED, responseSource = EventTypes.COMPLETE_SOURCE)
    public CompletionResult complete(CompletionRequest request) throws InvalidRequestException {
        if (request == null || request.score == null) throw new InvalidRequestException("score", "the request needs a 'score' in Merlai's JSON note format");
        ArrangeOptions options = options(request);
        ReadResult read;
        try {
            read = new JsonScoreReader().read(MAPPER.writeValueAsBytes(request.score), ReadOptions.DEFAULT);
        } catch (ScoreReadException e) {
            throw new InvalidRequestException("score" + e.location().replaceFirst("^\\$", ""), e.getMessage());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InvalidRequestException("score", "cannot be serialised: " + e.getOriginalMessage());
        }
        Arrangement arrangement;
        try {
            arrangement = models.arranger().arrange(read.score(), options);
        } catch (ArrangeException e) {
            throw new InvalidRequestException("score", e.getMessage());
        }
        CompletionResult result = new CompletionResult();
        result.arrangement = ScoreJson.toTree(arrangement.score());
        result.modelVersion = arrangement.modelVersion();
        result.melody = read.melodyChoice();
        result.meter = arrangement.meter();
        result.key = arrangement.key();
        result.generatedBars = arrangement.generatedBars();
        result.seed = options.seed();
        result.millis = arrangement.millis();
        return result;
    }

    private static ArrangeOptions options(CompletionRequest request) throws InvalidRequestException {
        ArrangeOptions defaults = ArrangeOptions.DEFAULT;
        String field = "style";
        try {
            Style style = request.style == null ? defaults.style() : Style.fromId(request.style);
            field = "bars";
            BarRange bars = request.bars == null ? null : BarRange.parse(request.bars);
            field = "temperature/density";
            return new ArrangeOptions(request.seed == null ? defaults.seed() : request.seed, style, bars,
                    request.temperature == null ? defaults.temperature() : request.temperature,
                    request.density == null ? defaults.density() : request.density);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(field, e.getMessage());
        }
    }
}
