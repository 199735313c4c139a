package dev.merlai.arranger.model;

import dev.merlai.arranger.Arranger;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Live sessions plan with the chord model fine-tuned for them (its melody ends where the session has heard it), the
 * offline arranger with the offline one; models without a live chord model (a tenant's own) keep their chords live too.
 */
class LiveChordModelTest {

    @Test
    void theShippedModelsPlanLiveWithTheLiveChordModelAndArrangeOfflineWithTheirOwn() throws Exception {
        try (ArrangementModels models = ArrangementModels.loadShipped(1)) {
            ArrangementModels live = models.forLive();
            assertEquals(ArrangementModels.LIVE_CHORDS, live.chordsMetadata().name());
            assertEquals(ArrangementModels.CHORDS, models.chordsMetadata().name());
            assertSame(live, models.forLive(), "opened once");
            assertSame(live, live.forLive());
            assertSame(models.textureMetadata(), live.textureMetadata(), "the other models are shared");
            assertTrue(live.version().startsWith(ArrangementModels.LIVE_CHORDS + "@"), live.version());

            Arranger arranger = new Arranger(models);
            assertNotSame(arranger, arranger.forLive());
            assertEquals(live.version(), arranger.forLive().modelVersion());
        }
    }

    @Test
    void modelsWhoseFolderHasNoLiveChordModelPlanLiveWithTheirOwnChords() throws Exception {
        Path folder = ArrangementModels.unpackShipped(List.of(ArrangementModels.CHORDS, ArrangementModels.TEXTURE, ArrangementModels.DOWNBEAT));
        try (ArrangementModels models = ArrangementModels.load(folder, 1)) {
            assertSame(models, models.forLive());
            Arranger arranger = new Arranger(models);
            assertSame(arranger, arranger.forLive());
        }
    }
}
