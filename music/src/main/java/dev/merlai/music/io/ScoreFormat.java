package dev.merlai.music.io;

import java.util.Locale;

/** The file formats Merlai reads and writes. */
public enum ScoreFormat {
    /** Standard MIDI File, {@code .mid} / {@code .midi}. */
    MIDI("audio/midi", ".mid"),
    /** MusicXML, plain ({@code .musicxml}, {@code .xml}) or compressed ({@code .mxl}). */
    MUSICXML("application/vnd.recordare.musicxml+xml", ".musicxml"),
    /** Merlai's JSON note format. */
    JSON("application/json", ".json");

    private final String mediaType;
    private final String extension;

    ScoreFormat(String mediaType, String extension) {
        this.mediaType = mediaType;
        this.extension = extension;
    }

    public String mediaType() {
        return mediaType;
    }

    /** The extension Merlai writes, with its dot. */
    public String extension() {
        return extension;
    }

    /** The format a file name says, by its extension. */
    public static ScoreFormat fromFileName(String name) throws ScoreReadException {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".mid") || lower.endsWith(".midi")) return MIDI;
        if (lower.endsWith(".mxl") || lower.endsWith(".musicxml") || lower.endsWith(".xml")) return MUSICXML;
        if (lower.endsWith(".json")) return JSON;
        throw new ScoreReadException(ScoreReadException.Kind.UNSUPPORTED, "",
                "'" + name + "' is not a supported file type (use .mid, .midi, .mxl, .musicxml, .xml or .json)");
    }

    /** The format the first bytes say: {@code MThd}, a zip, XML, or JSON. */
    public static ScoreFormat sniff(byte[] data) throws ScoreReadException {
        int i = 0;
        while (i < data.length && i < 64 && Character.isWhitespace(data[i])) i++;
        if (data.length >= 4 && data[0] == 'M' && data[1] == 'T' && data[2] == 'h' && data[3] == 'd') return MIDI;
        if (data.length >= 2 && data[0] == 'P' && data[1] == 'K') return MUSICXML;
        if (i < data.length && (data[i] == '<' || (data[i] & 0xFF) == 0xEF)) return MUSICXML;
        if (i < data.length && data[i] == '{') return JSON;
        throw new ScoreReadException(ScoreReadException.Kind.UNSUPPORTED, "byte 0",
                "the data is neither MIDI, MusicXML nor JSON");
    }
}
