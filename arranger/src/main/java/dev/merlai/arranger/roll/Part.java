package dev.merlai.arranger.roll;

import dev.merlai.music.Role;

/** The accompaniment parts the texture model writes, in the order of its channels. */
public enum Part {
    PIANO(Role.PIANO),
    COUNTER_MELODY(Role.COUNTER_MELODY);

    private final Role role;

    Part(Role role) {
        this.role = role;
    }

    /** The role of the track this part's notes go to (the piano's lowest notes become the bass in assembly). */
    public Role role() {
        return role;
    }
}
