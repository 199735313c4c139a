package dev.merlai.functions.render;

import dev.merlai.render.AudioPreview;
import dev.merlai.render.PianoRoll;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** The audio renderer (its SoundFont loaded once at start-up) and the piano-roll painter. */
@ApplicationScoped
public class Renderer {

    @ConfigProperty(name = "merlai.soundfont")
    String soundFont;

    private volatile AudioPreview audio;
    private final PianoRoll pianoRoll = new PianoRoll();

    void load(@Observes StartupEvent event) {
        try {
            audio = new AudioPreview(Path.of(soundFont));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the SoundFont " + soundFont, e);
        }
    }

    public AudioPreview audio() {
        return audio;
    }

    public PianoRoll pianoRoll() {
        return pianoRoll;
    }
}
