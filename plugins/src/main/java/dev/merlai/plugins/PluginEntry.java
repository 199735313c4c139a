package dev.merlai.plugins;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * One catalog entry, as {@code plugin.schema.json} describes it: an instrument or effect a user can load, or a
 * General MIDI program (kind {@code gm-fallback}) that needs no plugin at all.
 *
 * @param host      the player a library loads in (Kontakt, sfizz), or null when it is a plugin of its own
 * @param formats   plugin formats (VST3, AU, CLAP, LV2, AAX); empty for a General MIDI fallback
 * @param gmProgram the General MIDI program (0-127) that stands in for it in previews; null for effects
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PluginEntry(String id, String name, String vendor, String kind, String host, List<String> formats, List<String> os,
                          String licence, String priceBand, List<String> categories, List<String> tags, List<String> registers,
                          List<String> articulations, List<String> styles, List<Preset> presets, Integer gmProgram) {

    public static final String INSTRUMENT = "instrument";
    public static final String EFFECT = "effect";
    public static final String GM_FALLBACK = "gm-fallback";

    /** A named preset of the entry and the category it plays. */
    public record Preset(String name, String category) {
    }

    public PluginEntry {
        formats = List.copyOf(formats);
        os = List.copyOf(os);
        categories = List.copyOf(categories);
        tags = List.copyOf(tags);
        registers = List.copyOf(registers);
        articulations = List.copyOf(articulations);
        styles = List.copyOf(styles);
        presets = presets == null ? List.of() : List.copyOf(presets);
    }

    @JsonIgnore
    public boolean isFallback() {
        return GM_FALLBACK.equals(kind);
    }

    /** Instruments and General MIDI fallbacks can play a track; effects cannot. */
    @JsonIgnore
    public boolean playsNotes() {
        return !EFFECT.equals(kind);
    }

    @JsonIgnore
    public boolean isFree() {
        return "free".equals(licence);
    }

    @JsonIgnore
    public String primaryCategory() {
        return categories.get(0);
    }
}
