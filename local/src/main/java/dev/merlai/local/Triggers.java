package dev.merlai.local;

import dev.merlai.events.EventTypes;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who consumes which event: the local runner's copy of the Knative Triggers in {@code knative/base}
 * ({@code 50-function-complete.yaml}: {@code melody.uploaded -> complete}; {@code 52-function-recommend-plugin.yaml}:
 * {@code arrangement.completed -> recommend-plugin}; {@code 51-function-render-midi.yaml}:
 * {@code plugins.recommended -> render-midi}; {@code 53-function-train-trigger.yaml}: {@code training.requested ->
 * train-trigger}). {@code render.completed} and the training events have no function consuming them (in the cluster
 * they go to the results topic), so the router only logs them. Change both places together.
 */
public final class Triggers {

    /** Event type to the names of the functions it is delivered to. */
    public static final Map<String, List<String>> FUNCTIONS = Map.of(
            EventTypes.MELODY_UPLOADED, List.of(LocalMerlai.COMPLETE),
            EventTypes.ARRANGEMENT_COMPLETED, List.of(LocalMerlai.RECOMMEND_PLUGIN),
            EventTypes.PLUGINS_RECOMMENDED, List.of(LocalMerlai.RENDER_MIDI),
            EventTypes.TRAINING_REQUESTED, List.of(LocalMerlai.TRAIN_TRIGGER));

    private Triggers() {
    }

    /**
     * The router's routes: each event type to the root URL ({@code /}, where the functions take binary-mode events) of
     * each function consuming it. Functions missing from {@code functionUrls} are left out.
     *
     * @param functionUrls function name to its base URL, e.g. {@code complete -> http://127.0.0.1:8080}
     */
    public static Map<String, List<URI>> routes(Map<String, URI> functionUrls) {
        Map<String, List<URI>> routes = new LinkedHashMap<>();
        FUNCTIONS.forEach((type, functions) -> {
            List<URI> targets = functions.stream().filter(functionUrls::containsKey).map(f -> functionUrls.get(f).resolve("/")).toList();
            if (!targets.isEmpty()) routes.put(type, targets);
        });
        return routes;
    }
}
