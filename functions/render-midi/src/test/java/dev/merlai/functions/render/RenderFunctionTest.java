package dev.merlai.functions.render;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.merlai.events.EventTypes;
import dev.merlai.music.Chord;
import dev.merlai.music.ChordSpan;
import dev.merlai.music.Note;
import dev.merlai.music.Role;
import dev.merlai.music.Score;
import dev.merlai.music.Track;
import dev.merlai.music.io.ReadOptions;
import dev.merlai.music.json.ScoreJson;
import dev.merlai.music.midi.MidiReader;
import dev.merlai.platform.http.InvalidRequestException;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** render-midi, called directly and as the broker delivers dev.merlai.arrangement.completed. */
@QuarkusTest
class RenderFunctionTest {

    private static final int Q = Score.TICKS_PER_QUARTER;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Inject
    RenderFunction function;

    private static Score arrangement() {
        Track melody = new Track("MELODY", Role.MELODY, 0, 0, List.of(new Note(72, 90, 0, Q), new Note(74, 90, Q, Q)));
        Track bass = new Track("BASS", Role.BASS, 33, 2, List.of(new Note(36, 80, 0, 2 * Q)));
        return Score.of(List.of(melody, bass)).withChords(List.of(new ChordSpan(0, 2 * Q, Chord.parse("C:maj"))));
    }

    @Test
    void writesAMidiFileThatReadsBackAsTheArrangement() throws Exception {
        RenderRequest request = new RenderRequest();
        request.arrangement = ScoreJson.toTree(arrangement());
        RenderResult result = function.render(request);
        Score back = new MidiReader().read(Base64.getDecoder().decode(result.midiBase64), ReadOptions.DEFAULT).score();
        assertEquals(arrangement().tracks().stream().map(Track::notes).toList(), back.tracks().stream().map(Track::notes).toList());
        assertEquals(arrangement().chords(), back.chords());
        assertEquals(3, result.tracks);
        assertEquals(3, result.notes);
    }

    @Test
    void anEventWithoutArrangementIsRefused() {
        assertThrows(InvalidRequestException.class, () -> function.render(new RenderRequest()));
    }

    @Test
    void answersTheArrangementCompletedEventWithRenderCompleted() {
        ObjectNode data = MAPPER.createObjectNode();
        data.set("arrangement", ScoreJson.toTree(arrangement()));
        data.put("modelVersion", "any");
        given().contentType(ContentType.JSON)
                .header("ce-specversion", "1.0")
                .header("ce-id", "render-1")
                .header("ce-type", EventTypes.ARRANGEMENT_COMPLETED)
                .header("ce-source", EventTypes.COMPLETE_SOURCE)
                .body(data.toString())
                .post("/")
                .then().statusCode(200)
                .header("ce-type", EventTypes.RENDER_COMPLETED)
                .body("notes", equalTo(3));
    }

    @Test
    void aBrokenArrangementIsA400Problem() {
        given().contentType(ContentType.JSON)
                .header("ce-specversion", "1.0").header("ce-id", "render-2")
                .header("ce-type", EventTypes.ARRANGEMENT_COMPLETED).header("ce-source", "/test")
                .body("{\"arrangement\": {\"tracks\": \"nope\"}}")
                .post("/")
                .then().statusCode(400).contentType("application/problem+json").body("field", equalTo("arrangement"));
    }
}
