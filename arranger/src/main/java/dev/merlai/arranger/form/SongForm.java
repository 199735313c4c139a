package dev.merlai.arranger.form;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A song's form heard from its melody: its sections and, per bar, the earlier bar whose melody it repeats.
 *
 * @param sections      in order, covering the bars from the first to the last
 * @param repeatsBar    per bar (index into the grid's bars): the index of the earliest bar whose melody this bar's
 *                      repeats exactly, possibly transposed; -1 where it repeats none
 * @param transposition per bar: semitones from that earlier bar's melody to this one's (0 where it repeats none)
 * @param occurrence    per bar: 1 the first time its melody is heard, 2 the second, ...; 0 where the melody rests
 */
public record SongForm(List<Section> sections, int[] repeatsBar, int[] transposition, int[] occurrence) {

    /** The section that holds bar {@code number} (the bar's number, as the sections count bars), or null where none does. */
    public Section sectionOf(int number) {
        for (Section section : sections) if (section.firstBar() <= number && number <= section.lastBar()) return section;
        return null;
    }

    /** The sections in words, e.g. {@code A(1-8) A(9-16) B(17-24) A'(25-32)}. */
    @Override
    public String toString() {
        return sections.stream().map(Section::toString).collect(Collectors.joining(" "));
    }
}
