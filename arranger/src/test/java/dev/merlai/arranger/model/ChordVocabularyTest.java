package dev.merlai.arranger.model;

import dev.merlai.music.Chord;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ChordVocabularyTest {

    @Test
    void theShippedVocabularyHasNineQualitiesPerRootAndTransposesRootByRoot() throws Exception {
        ChordVocabulary vocabulary = shippedChordsMetadata().chordVocabulary();
        assertEquals(9, vocabulary.qualitiesPerRoot());
        assertEquals(0, vocabulary.transposed(0, 5), "N stays N");
        for (int c = 1; c < vocabulary.size(); c++) {
            Chord chord = vocabulary.chord(c), up = vocabulary.chord(vocabulary.transposed(c, 2));
            assertEquals((chord.root() + 2) % 12, up.root(), chord.label());
            assertEquals(chord.quality(), up.quality(), chord.label());
            assertEquals(c, vocabulary.transposed(vocabulary.transposed(c, -7), 7));
        }
    }

    @Test
    void aVocabularyNotLaidOutRootByRootIsRefused() throws IOException {
        assertThrows(IOException.class, () -> ChordVocabulary.of(List.of("N", "C:maj", "C:min")));
        List<String> swapped = new ArrayList<>(List.of("N"));
        for (String root : List.of("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")) swapped.addAll(List.of(root + ":maj", root + ":min"));
        assertEquals(2, ChordVocabulary.of(swapped).qualitiesPerRoot());
        swapped.set(3, "D:maj");
        assertThrows(IOException.class, () -> ChordVocabulary.of(swapped));
    }

    static ModelMetadata shippedChordsMetadata() throws IOException {
        Path models = Path.of(System.getProperty("merlai.repo.root", "..")).resolve("models");
        try (InputStream in = Files.newInputStream(models.resolve(ArrangementModels.CHORDS + ".json"))) {
            return ModelMetadata.read(in);
        }
    }
}
