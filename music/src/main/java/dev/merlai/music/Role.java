package dev.merlai.music;

import java.util.Locale;

/** What a track does in the arrangement. */
public enum Role {
    MELODY("MELODY"),
    /** Chord symbols only: a track of this role carries no notes, the labels live in {@link Score#chords()}. */
    CHORDS("CHORDS"),
    BASS("BASS"),
    PIANO("PIANO"),
    COUNTER_MELODY("COUNTER"),
    DRUMS("DRUMS"),
    OTHER("OTHER");

    private final String trackName;

    Role(String trackName) {
        this.trackName = trackName;
    }

    /** The track name Merlai writes for this role (MIDI track name, JSON default). */
    public String trackName() {
        return trackName;
    }

    /** The lower-case name used in JSON and on the command line, e.g. {@code counter-melody}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Role fromId(String id) {
        for (Role role : values()) {
            if (role.id().equalsIgnoreCase(id) || role.name().equalsIgnoreCase(id)) return role;
        }
        throw new IllegalArgumentException("unknown role '" + id + "'");
    }

    public boolean isAccompaniment() {
        return this == BASS || this == PIANO || this == COUNTER_MELODY || this == OTHER;
    }
}
