package dev.merlai.arranger.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The models' metadata is read without an ObjectMapper, into the very tree an ObjectMapper reads. */
class ModelMetadataTest {

    private static final List<String> SHIPPED = List.of(ArrangementModels.CHORDS, ArrangementModels.TEXTURE, ArrangementModels.DOWNBEAT,
            DrumModel.NAME, DynamicsModel.NAME);

    @Test
    void everyShippedModelsMetadataReadsIntoTheTreeAnObjectMapperReads() throws Exception {
        Path dir = ArrangementModels.unpackShipped(SHIPPED);
        for (String name : SHIPPED) {
            assertEquals(new ObjectMapper().readTree(dir.resolve(name + ".json").toFile()), ArrangementModels.metadata(dir, name), name);
        }
    }

    @Test
    void everyKindOfValueReadsAsAnObjectMapperReadsIt() throws Exception {
        String json = "{\"text\":\"a\\\"b\",\"int\":-3,\"long\":12345678901,\"big\":123456789012345678901234567890,"
                + "\"float\":0.1,\"exp\":1e-7,\"yes\":true,\"no\":false,\"nothing\":null,\"empty\":{},\"none\":[],"
                + "\"nested\":[[1,2],{\"k\":[{}]}],\"text\":\"last wins\"}";
        assertEquals(new ObjectMapper().readTree(json), ModelMetadata.tree(stream(json)));
    }

    @Test
    void metadataThatIsNotJsonIsRefused() {
        assertThrows(IOException.class, () -> ModelMetadata.tree(stream("")));
        assertThrows(IOException.class, () -> ModelMetadata.tree(stream("{\"name\": ")));
        assertThrows(IOException.class, () -> ModelMetadata.tree(stream("{\"name\" 1}")));
    }

    private static InputStream stream(String json) {
        return new ByteArrayInputStream(json.getBytes());
    }
}
