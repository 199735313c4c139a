package dev.merlai.arranger;

import java.util.Locale;

/** The arrangement styles the models were trained on. */
public enum Style {
    /** Chinese pop, after POP909: piano patterns, bass, counter-melodies. */
    POP,
    /** 19th-century art song, after OpenScore Lieder: piano accompaniment. */
    LIED;

    /** The name used in options, the API and the models' metadata. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Style fromId(String id) {
        for (Style style : values()) {
            if (style.id().equalsIgnoreCase(id)) return style;
        }
        throw new IllegalArgumentException("unknown style '" + id + "' (known: pop, lied)");
    }
}
