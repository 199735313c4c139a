package dev.merlai.functions.render;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.merlai.events.EventTypes;
import dev.merlai.platform.http.InvalidRequestException;
import dev.merlai.music.Score;
import dev.merlai.music.io.ReadOptions;
import dev.merlai.music.io.ScoreReadException;
import dev.merlai.music.json.JsonScoreReader;
import dev.merlai.music.midi.MidiWriter;
import io.quarkus.funqy.Funq;
import io.quarkus.funqy.knative.events.CloudEventMapping;

import java.util.Base64;

/** The {@code render-midi} function: turns a completed arrangement into a Standard MIDI File. */
public class RenderFunction {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Funq("render-midi")
    @CloudEventMapping(trigger = EventTypes.ARRANGEMENT_COMPLETED, responseType = EventTypes.RENDER_COMPLETED,
            responseSource = EventTypes.RENDER_SOURCE)
    public RenderResult render(RenderRequest request) throws InvalidRequestException {
        if (request == null || request.arrangement == null) throw new InvalidRequestException("arrangement", "the event data needs an 'arrangement'");
        Score score;
        try {
            score = new JsonScoreReader().read(MAPPER.writeValueAsBytes(request.arrangement), ReadOptions.DEFAULT).score();
        } catch (ScoreReadException e) {
            throw new InvalidRequestException("arrangement", e.getMessage());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InvalidRequestException("arrangement", "the arrangement cannot be serialised: " + e.getOriginalMessage());
        }
        byte[] midi = new MidiWriter().write(score);
        RenderResult result = new RenderResult();
        result.midiBase64 = Base64.getEncoder().encodeToString(midi);
        result.tracks = score.tracks().size() + (score.chords().isEmpty() ? 0 : 1);
        result.notes = score.noteCount();
        result.seconds = score.durationSeconds();
        return result;
    }
}
