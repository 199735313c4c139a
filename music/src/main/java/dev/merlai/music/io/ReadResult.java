package dev.merlai.music.io;

import dev.merlai.music.Score;

/**
 * A score as read, with the reader's account of what it decided.
 *
 * @param score         the score; its melody track (if found) has role MELODY
 * @param melodyChoice  which track or part became the melody and why, e.g.
 *                      {@code track 1 "MELODY": named like a melody}; empty when there is no melody
 */
public record ReadResult(Score score, String melodyChoice) {
}
