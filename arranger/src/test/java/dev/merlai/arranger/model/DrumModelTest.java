package dev.merlai.arranger.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The drum model's sampling is read from its metadata, and one that cannot be drawn is refused at load. */
class DrumModelTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void sharesOfADrawThatAddUpToMoreThanTheWholeDrawAreRefusedAtLoad() throws Exception {
        for (String coupling : List.of("ghost_coupling", "hand_coupling")) {
            Path dir = ArrangementModels.unpackShipped(List.of(ArrangementModels.CHORDS, ArrangementModels.TEXTURE, ArrangementModels.DOWNBEAT, DrumModel.NAME));
            Path drums = dir.resolve(DrumModel.NAME + ".json");
            ObjectNode metadata = (ObjectNode) JSON.readTree(drums.toFile());
            ((ObjectNode) metadata.path("sampling")).put(coupling, 0.8).put("groove_repeat", 0.3);
            JSON.writeValue(drums.toFile(), metadata);
            IOException refused = assertThrows(IOException.class, () -> ArrangementModels.load(dir, 1), coupling);
            assertTrue(refused.getMessage().contains("ghost_coupling, hand_coupling and groove_repeat"), refused.getMessage());
        }
    }

    @Test
    void theShippedModelSamplesWithTheSharesItsTrainingChose() throws Exception {
        Path dir = ArrangementModels.unpackShipped(List.of(ArrangementModels.CHORDS, ArrangementModels.TEXTURE, ArrangementModels.DOWNBEAT, DrumModel.NAME));
        try (ArrangementModels models = ArrangementModels.load(dir, 1)) {
            DrumSampling sampling = models.drums().sampling();
            assertEquals(0.3, sampling.ghostCoupling());
            assertEquals(0.7, sampling.handCoupling());
            assertEquals(0.3, sampling.grooveRepeat());
            assertEquals(1.15, sampling.drummerContrastMean());
        }
    }
}
