package dev.merlai.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.TreeMap;

/**
 * The accompaniment events a replay received and those that came after their time, by kind (on, off, chord) and
 * the latest by how much: the replay's timing figures, in process and over the live API alike.
 */
final class LateEvents {

    private int events;
    private int late;
    private double latestMillis;
    private final Map<String, Integer> lateByType = new TreeMap<>();

    /** An event of {@code type}, due at {@code dueMillis}, was handed over at {@code arrivedMillis} (one clock). */
    synchronized void received(String type, double dueMillis, double arrivedMillis) {
        events++;
        if (dueMillis >= arrivedMillis) return;
        late++;
        lateByType.merge(type, 1, Integer::sum);
        latestMillis = Math.max(latestMillis, arrivedMillis - dueMillis);
    }

    /** Writes melodyEvents, events, lateEvents, lateByType and mostLateMillis into the figures. */
    synchronized ObjectNode into(ObjectNode figures, int melodyEvents) {
        figures.put("melodyEvents", melodyEvents).put("events", events).put("lateEvents", late).put("mostLateMillis", Math.round(latestMillis * 10) / 10.0);
        ObjectNode byType = figures.putObject("lateByType");
        lateByType.forEach(byType::put);
        return figures;
    }
}
