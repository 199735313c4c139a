package dev.merlai.arranger.drums;

import dev.merlai.arranger.grid.MetricGrid;
import dev.merlai.music.TempoMap;
import dev.merlai.music.Track;

/**
 * What the drummer plays to.
 *
 * @param grid       the song's 16th steps and bars
 * @param plan       fills, crashes and energy per bar
 * @param style      the drum style, one of the drum model's styles (e.g. {@code pop}, {@code rock}, {@code funk})
 * @param tempo      the song's tempo map
 * @param seed       the same request and seed give the same drums
 * @param bassOnsets per step, whether the arrangement's bass starts a note there (the kick leans towards them)
 * @param play       per bar, whether to play it (the others keep what {@code given} has there)
 * @param given      the drum track the input already has, or null
 */
public record DrumRequest(MetricGrid grid, DrumPlan plan, String style, TempoMap tempo, long seed, boolean[] bassOnsets,
                          boolean[] play, Track given) {

    public DrumRequest {
        if (plan.bars().size() != grid.bars().size() || play.length != grid.bars().size()) {
            throw new IllegalArgumentException("the drum plan and the bars to play must cover the grid's " + grid.bars().size() + " bars");
        }
        if (bassOnsets.length != grid.steps()) throw new IllegalArgumentException("bass onsets must cover the grid's " + grid.steps() + " steps");
    }
}
