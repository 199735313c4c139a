package dev.merlai.music;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ChordSpanTest {

    private static final Chord C = Chord.parse("C"), F = Chord.parse("F"), G = Chord.parse("G");

    @Test
    void theSpanSoundingAtATickIsFoundAndGapsHaveNone() {
        // C over [0, 480), a gap, F over [960, 1920), G over [1920, 2400)
        List<ChordSpan> spans = List.of(new ChordSpan(0, 480, C), new ChordSpan(960, 960, F), new ChordSpan(1920, 480, G));
        assertEquals(Optional.of(spans.get(0)), ChordSpan.at(spans, 0));
        assertEquals(Optional.of(spans.get(0)), ChordSpan.at(spans, 479));
        assertEquals(Optional.empty(), ChordSpan.at(spans, 480), "the gap");
        assertEquals(Optional.of(spans.get(1)), ChordSpan.at(spans, 960));
        assertEquals(Optional.of(spans.get(2)), ChordSpan.at(spans, 1920), "a span starts where the one before ends");
        assertEquals(Optional.empty(), ChordSpan.at(spans, 2400), "after the last");
        assertEquals(Optional.empty(), ChordSpan.at(spans, -1), "before the first");
        assertEquals(Optional.empty(), ChordSpan.at(List.of(), 0));
    }
}
