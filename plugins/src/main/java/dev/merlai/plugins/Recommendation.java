package dev.merlai.plugins;

import java.util.List;

/**
 * One ranked suggestion for a track.
 *
 * @param category  the entry's category that plays the track (Omnisphere as a pad, Dexed as an electric piano)
 * @param preset    a preset of the entry for that category, or null when none is known
 * @param gmProgram the General MIDI program that stands in for it in the preview
 * @param reasons   why, in words: role and style, register, density and articulation, tempo, feedback
 */
public record Recommendation(PluginEntry entry, String category, String preset, double score, int gmProgram, List<String> reasons) {

    public Recommendation {
        reasons = List.copyOf(reasons);
    }
}
