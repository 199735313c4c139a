package dev.merlai.music;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MeterMapTest {

    private static final int Q = Score.TICKS_PER_QUARTER;

    @Test
    void withoutTimeSignaturesTheMeterIsFourFour() {
        MeterMap meter = new MeterMap(List.of());
        assertEquals(new TimeSignature(0, 4, 4), meter.timeSignatureAt(12345));
        assertEquals(new BarPosition(2, 4 * Q, 4 * Q, 1, 2, 0), meter.position(4 * Q + Q + Q / 2));
    }

    @Test
    void barsBeatsAndSixteenthsConvertBothWays() {
        MeterMap meter = MeterMap.of(3, 4);
        long tick = meter.tick(5, 2, 3);
        assertEquals(4 * 3 * Q + 2 * Q + 3 * Q / 4, tick);
        BarPosition position = meter.position(tick + 7);
        assertEquals(5, position.bar());
        assertEquals(2, position.beat());
        assertEquals(3, position.sixteenth());
        assertEquals(7, position.remainder());
    }

    @Test
    void sixEightCountsBeatsInEighths() {
        MeterMap meter = MeterMap.of(6, 8);
        assertEquals(3 * Q, meter.bar(1).length());
        BarPosition position = meter.position(3 * Q + Q / 2 * 4);
        assertEquals(2, position.bar());
        assertEquals(4, position.beat());
    }

    @Test
    void aPickupIsBarZeroAndItsBeatsAlignToItsEnd() {
        MeterMap meter = new MeterMap(List.of(new TimeSignature(0, 4, 4)), Q);
        assertEquals(new Bar(0, 0, Q, new TimeSignature(0, 4, 4)), meter.barAt(0));
        assertEquals(1, meter.barAt(Q).number());
        assertEquals(Q, meter.bar(1).start());
        assertEquals(3, meter.position(0).beat(), "a one-beat pickup in 4/4 is beat 4");
        assertEquals(0, meter.tick(0, 3, 0));
        assertEquals(List.of(0, 1, 2), meter.bars(Q + 4 * Q + 1).stream().map(Bar::number).toList());
    }

    @Test
    void aTimeSignatureChangeStartsANewBarEvenMidBar() {
        MeterMap meter = new MeterMap(List.of(new TimeSignature(0, 4, 4), new TimeSignature(8 * Q, 3, 4), new TimeSignature(9 * Q + Q, 2, 4)));
        assertEquals(3, meter.barAt(8 * Q).number());
        assertEquals(4, meter.barAt(11 * Q).number(), "the 3/4 bar is cut short by the 2/4 change at 10 quarters");
        assertEquals(2 * Q, meter.barAt(8 * Q).length());
        assertEquals(10 * Q, meter.bar(4).start());
        assertEquals(12 * Q, meter.bar(5).start());
    }

    @Test
    void rejectsAPickupAsLongAsABar() {
        assertThrows(IllegalArgumentException.class, () -> new MeterMap(List.of(new TimeSignature(0, 3, 4)), 3 * Q));
    }

    @Test
    void barsCoverTheWholeSpanWithoutGaps() {
        MeterMap meter = new MeterMap(List.of(new TimeSignature(0, 5, 8), new TimeSignature(5 * Q, 7, 8)), Q / 2);
        long expectedStart = 0;
        for (Bar bar : meter.bars(40 * Q)) {
            assertEquals(expectedStart, bar.start());
            assertTrue(bar.length() > 0);
            expectedStart = bar.end();
        }
    }
}
