package dev.merlai.arranger.model;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;

/**
 * How the drum model's odds and Gaussians are drawn, as its training chose and wrote to the metadata's {@code sampling}
 * ({@code merlai_training.drums}). Velocities and levels are on 0..1 (MIDI / 127).
 *
 * @param hitTemperature        hit logits are divided by this in groove bars: below 1, fewer stray hits
 * @param fillHitTemperature    the same in fill bars: higher, since a fill is less certain of each hit and sharpened it
 *                              would fade into the groove
 * @param velocityShift         added to every drawn velocity ({@code merlai_training.drum_velocity}): bars drawn one after
 *                              another from the model's own previous bar play softer than the performances it learned from
 * @param drummerLevelMean      the mean of a song's drummer's level, added to every velocity it plays: GMD's validation
 *                              drummers play louder than its train drummers; chosen on the tune half of its validation
 *                              performances ({@code training/split/gmd-validation-tune.txt})
 * @param drummerLevelSd        how much one song's drummer differs from another's, as GMD's performances do beyond what
 *                              the model plays: the sd of the level,
 * @param drummerTimingLogSd    of the log of the factor its timing offsets are played with (a tighter or looser drummer),
 * @param drummerContrastLogSd  and of the log of the factor each bar's velocities are spread with about their mean
 * @param drummerContrastMean   the mean of that factor: drawn bar after bar, the model spreads a bar's velocities less
 *                              than GMD's validation drummers do; chosen on the tune half
 * @param ghostCoupling         the share (of variance) of a ghost snare's draw (odds below even) that all of a bar's ghost
 *                              snares share: a drummer plays them together or not at all, where cells drawn each on its
 *                              own scatter one or two into most bars
 * @param handCoupling          the same for the hi-hat's and the ride's passing notes (odds below even; one draw per
 *                              instrument): a bar plays its 16ths or its off-beats, not a scattering of them
 * @param grooveRepeat          the share of each cell's draw that the groove bars of a section share: a drummer repeats
 *                              the section's figure bar after bar, with small variations
 */
public record DrumSampling(double hitTemperature, double fillHitTemperature, double velocityShift,
                           double drummerLevelMean, double drummerLevelSd, double drummerTimingLogSd,
                           double drummerContrastLogSd, double drummerContrastMean,
                           double ghostCoupling, double handCoupling, double grooveRepeat) {

    /** The sampling in a drum model's metadata; shares of one draw that cannot be drawn are refused. */
    static DrumSampling of(JsonNode sampling) throws IOException {
        DrumSampling read = new DrumSampling(sampling.path("hit_temperature").asDouble(1.0),
                sampling.path("fill_hit_temperature").asDouble(1.0), sampling.path("velocity_shift").asDouble(0),
                sampling.path("drummer_level_mean").asDouble(0), sampling.path("drummer_level_sd").asDouble(0),
                sampling.path("drummer_timing_log_sd").asDouble(0), sampling.path("drummer_contrast_log_sd").asDouble(0),
                sampling.path("drummer_contrast_mean").asDouble(1.0), sampling.path("ghost_coupling").asDouble(0),
                sampling.path("hand_coupling").asDouble(0), sampling.path("groove_repeat").asDouble(0));
        double largestCoupling = Math.max(read.ghostCoupling, read.handCoupling);
        if (read.ghostCoupling < 0 || read.handCoupling < 0 || read.grooveRepeat < 0 || largestCoupling + read.grooveRepeat > 1) {
            throw new IOException("drum model's ghost_coupling, hand_coupling and groove_repeat are shares of a draw: each >= 0, "
                    + "either coupling and groove_repeat together <= 1");
        }
        return read;
    }

    public double hitTemperature(boolean fill) {
        return fill ? fillHitTemperature : hitTemperature;
    }
}
