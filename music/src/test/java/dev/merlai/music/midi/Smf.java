package dev.merlai.music.midi;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds raw Standard MIDI File bytes by hand, for tests of odd and broken input. */
final class Smf {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private Smf() {
    }

    /** A file starting with an MThd header: format, declared MTrk count, ticks per quarter. */
    static Smf header(int format, int tracks, int division) {
        Smf smf = new Smf();
        smf.raw('M', 'T', 'h', 'd', 0, 0, 0, 6, format >> 8, format, tracks >> 8, tracks, division >> 8, division);
        return smf;
    }

    /** Appends an MTrk chunk with the given event bytes (deltas included), with a correct length. */
    Smf track(int... events) {
        raw('M', 'T', 'r', 'k');
        raw(events.length >> 24, events.length >> 16, events.length >> 8, events.length);
        return raw(events);
    }

    Smf raw(int... bytes) {
        for (int b : bytes) out.write(b);
        return this;
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    /** Delta 0 + a meta event of the given type holding the text; ASCII, under 128 bytes. */
    static int[] meta(int type, String text) {
        return metaAfter(new int[] {0}, type, text);
    }

    /** The delta bytes (a variable-length number) + a meta event of the given type holding the text. */
    static int[] metaAfter(int[] delta, int type, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        int[] event = new int[delta.length + 3 + bytes.length];
        System.arraycopy(delta, 0, event, 0, delta.length);
        event[delta.length] = 0xFF;
        event[delta.length + 1] = type;
        event[delta.length + 2] = bytes.length;
        for (int i = 0; i < bytes.length; i++) event[delta.length + 3 + i] = bytes[i];
        return event;
    }

    /** Concatenates event arrays. */
    static int[] events(int[]... parts) {
        int length = 0;
        for (int[] part : parts) length += part.length;
        int[] all = new int[length];
        int at = 0;
        for (int[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    /** Delta 0 end-of-track. */
    static final int[] END = {0, 0xFF, 0x2F, 0};
}
