package dev.merlai.arranger.model;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.SplittableRandom;

/**
 * How the arranger samples the texture model's note probabilities for one style, from the texture model's
 * metadata ({@code sampling.<style>}). The model was trained with each bar's real onset density as an input;
 * a song has busy and sparse sections, so the arranger asks for a density that moves from phrase to phrase.
 *
 * @param densityScale           the style's median onsets per beat is multiplied by this (then by the user's density knob)
 * @param densitySpread          standard deviation of the phrase-to-phrase density, in natural-log units
 * @param phraseBars             bars per phrase sharing one density
 * @param repeatBias             added to (subtracted from) an onset's logit where the neighbouring bar already
 *                               sampled has (has no) onset at the same position: a groove carries over bars
 * @param holdThreshold          a note goes on sounding while the model's sounding probability is above this
 * @param maxSounding            at most this many piano notes sound in a step (the least likely holds end first; the
 *                               lowest note, the bass, is kept); 0 = no limit
 * @param minSounding            below this many sounding piano notes, the most likely holds go on sounding...
 * @param minSoundingProbability ...if their sounding probability is at least this
 */
public record Sampling(double densityScale, double densitySpread, int phraseBars, double repeatBias, double holdThreshold,
                       int maxSounding, int minSounding, double minSoundingProbability) {

    /** Plain sampling: constant median density, no repeat bias, holds while more likely than not. */
    public static final Sampling PLAIN = new Sampling(1, 0, 4, 0, 0.5, 0, 0, 1);

    /** A standard normal draw (Box-Muller), for the models' Gaussians. */
    public static double gaussian(SplittableRandom random) {
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    /** The probability of a logit. */
    public static double sigmoid(double logit) {
        return 1 / (1 + Math.exp(-logit));
    }

    /** The standard normal distribution function (Abramowitz and Stegun 26.2.17, within 7.5e-8). */
    public static double normalCdf(double z) {
        double t = 1 / (1 + 0.2316419 * Math.abs(z));
        double tail = Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI)
                * t * (0.319381530 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
        return z >= 0 ? 1 - tail : tail;
    }

    static Sampling read(JsonNode node) throws IOException {
        if (node.isMissingNode()) return PLAIN;
        Sampling sampling = new Sampling(node.path("density_scale").asDouble(1), node.path("density_spread").asDouble(0),
                node.path("phrase_bars").asInt(4), node.path("repeat_bias").asDouble(0), node.path("hold_threshold").asDouble(0.5),
                node.path("max_sounding").asInt(0), node.path("min_sounding").asInt(0), node.path("min_sounding_probability").asDouble(1));
        if (sampling.phraseBars < 1 || sampling.densityScale <= 0 || sampling.densitySpread < 0) {
            throw new IOException("texture sampling settings out of range: " + node);
        }
        return sampling;
    }
}
