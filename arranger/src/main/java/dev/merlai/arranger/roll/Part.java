package dev.merlai.arranger.roll;

/**
 * The accompaniment parts the texture model writes, in the order of its channels (the piano's lowest notes are split
 * off as the bass before it is played: {@code BassSplit}).
 */
public enum Part {
    PIANO,
    COUNTER_MELODY
}
