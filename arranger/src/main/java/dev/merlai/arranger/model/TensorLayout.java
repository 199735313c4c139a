package dev.merlai.arranger.model;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;

/**
 * How a model's tensors lay music out, from its metadata: 16th steps ({@code steps_per_quarter}) and the keys of
 * its pitch axis ({@code pitch_offset}, {@code pitch_count}).
 *
 * @param stepsPerQuarter time steps per quarter note
 * @param lowestPitch     MIDI pitch of the first key
 * @param pitchCount      number of keys
 */
public record TensorLayout(int stepsPerQuarter, int lowestPitch, int pitchCount) {

    static TensorLayout read(JsonNode root) throws IOException {
        TensorLayout layout = new TensorLayout(root.path("steps_per_quarter").asInt(0), root.path("pitch_offset").asInt(-1),
                root.path("pitch_count").asInt(0));
        if (layout.stepsPerQuarter < 1 || layout.lowestPitch < 0 || layout.pitchCount < 1 || layout.highestPitch() > 127) {
            throw new IOException("model metadata needs steps_per_quarter, pitch_offset and pitch_count within MIDI's keys");
        }
        return layout;
    }

    public int highestPitch() {
        return lowestPitch + pitchCount - 1;
    }

    /** The pitch moved onto the model's keys (the nearest end key when it lies outside them). */
    public int clamp(int pitch) {
        return Math.max(lowestPitch, Math.min(highestPitch(), pitch));
    }
}
