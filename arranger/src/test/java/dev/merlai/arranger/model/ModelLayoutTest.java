package dev.merlai.arranger.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tensor layout is read from the models' metadata, and a model that lays music out otherwise is refused at load. */
class ModelLayoutTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theShippedModelsReadSixteenthsOverTheEightyEightKeys() throws Exception {
        assertEquals(new TensorLayout(4, 21, 88), ChordVocabularyTest.shippedChordsMetadata().layout());
        assertEquals(108, ChordVocabularyTest.shippedChordsMetadata().layout().highestPitch());
        assertEquals(21, new TensorLayout(4, 21, 88).clamp(15));
        assertEquals(108, new TensorLayout(4, 21, 88).clamp(115));
    }

    @Test
    void metadataWithoutTheLayoutIsRefused() {
        IOException refused = assertThrows(IOException.class, () -> ModelMetadata.read(new ByteArrayInputStream(
                "{\"name\":\"m\",\"version\":\"1\",\"inputs\":[{\"name\":\"x\"}],\"steps_per_quarter\":4}".getBytes())));
        assertTrue(refused.getMessage().contains("pitch_count"), refused.getMessage());
    }

    @Test
    void modelsOnAnotherGridOrWithOtherChannelsAreRefusedAtLoad() throws Exception {
        Path dir = ArrangementModels.unpackShipped(List.of(ArrangementModels.CHORDS, ArrangementModels.TEXTURE, ArrangementModels.DOWNBEAT));
        Path chords = dir.resolve(ArrangementModels.CHORDS + ".json");
        ObjectNode metadata = (ObjectNode) JSON.readTree(chords.toFile());
        JSON.writeValue(chords.toFile(), metadata.deepCopy().put("steps_per_quarter", 8));
        IOException refused = assertThrows(IOException.class, () -> ArrangementModels.load(dir, 1));
        assertTrue(refused.getMessage().contains("8 steps per quarter"), refused.getMessage());
        JSON.writeValue(chords.toFile(), metadata);

        Path texture = dir.resolve(ArrangementModels.TEXTURE + ".json");
        ObjectNode textureMetadata = (ObjectNode) JSON.readTree(texture.toFile());
        textureMetadata.putArray("channels").add("piano_onset").add("piano_sounding");
        JSON.writeValue(texture.toFile(), textureMetadata);
        refused = assertThrows(IOException.class, () -> ArrangementModels.load(dir, 1));
        assertTrue(refused.getMessage().contains("channels"), refused.getMessage());
    }
}
