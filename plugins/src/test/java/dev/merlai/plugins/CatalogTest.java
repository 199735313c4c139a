package dev.merlai.plugins;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CatalogTest {

    private static final Catalog SEED = Catalog.seed();

    private static ObjectNode valid() {
        return CatalogSchema.MAPPER.valueToTree(SEED.find("surge-xt").orElseThrow());
    }

    @Test
    void theSeedHoldsAtLeastSixtyRealInstrumentsAndEveryGeneralMidiProgram() {
        long instruments = SEED.entries().stream().filter(e -> e.kind().equals(PluginEntry.INSTRUMENT)).count();
        assertTrue(instruments >= 60, "instruments: " + instruments);
        Set<Integer> programs = SEED.entries().stream().filter(PluginEntry::isFallback).map(PluginEntry::gmProgram).collect(Collectors.toSet());
        assertEquals(128, programs.size());
        assertTrue(programs.stream().allMatch(p -> p >= 0 && p <= 127));
        assertEquals("General MIDI 34: Electric Bass (finger)", SEED.gmFallback(33).orElseThrow().name());
        long vendors = SEED.entries().stream().filter(e -> !e.isFallback()).map(PluginEntry::vendor).distinct().count();
        assertTrue(vendors >= 20, "widely used instruments come from many vendors, " + vendors);
    }

    @Test
    void theSeedSurvivesAJsonRoundTripThroughTheSchema() throws Exception {
        assertEquals(SEED, Catalog.fromJson(SEED.toJson()));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "remove vendor                          | vendor",
            "set formats [\"VST3\",\"VST9\"]        | formats[1]",
            "set os []                              | os",
            "set priceBand \"under-100\"            | priceBand",
            "set gmProgram 128                      | gmProgram",
            "remove gmProgram                       | gmProgram",
            "set id \"Surge XT!\"                   | id",
            "set categories [\"kazoo\"]             | categories[0]",
            "set colour \"blue\"                    | colour",
            "set registers \"low\"                  | registers",
    })
    void aBadEntryIsRejectedNamingTheField(String change, String field) throws Exception {
        ObjectNode entry = valid();
        String[] parts = change.trim().split(" ", 3);
        if (parts[0].equals("remove")) entry.remove(parts[1]);
        else entry.set(parts[1], CatalogSchema.MAPPER.readTree(parts[2].trim()));
        InvalidEntryException e = assertThrows(InvalidEntryException.class, () -> CatalogSchema.entry(entry));
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.getMessage().contains(field), e.getMessage());
    }

    @Test
    void aCatalogFileNamesTheEntryAndFieldAtFault() {
        String json = "{\"version\": 3, \"entries\": [" + valid() + ", " + valid().put("id", "x2").put("licence", "stolen") + "]}";
        InvalidEntryException e = assertThrows(InvalidEntryException.class, () -> Catalog.fromJson(json.getBytes(StandardCharsets.UTF_8)));
        assertEquals("entries[1].licence", e.field());
        String twice = "{\"version\": 3, \"entries\": [" + valid() + ", " + valid() + "]}";
        assertEquals("entries[1].id", assertThrows(InvalidEntryException.class, () -> Catalog.fromJson(twice.getBytes(StandardCharsets.UTF_8))).field());
    }

    @Test
    void everyChangeMakesTheNextVersion() throws Exception {
        PluginEntry added = CatalogSchema.entry(valid().put("id", "surge-xt-copy"));
        Catalog one = SEED.with(added);
        Catalog two = one.replacing(CatalogSchema.entry(valid().put("id", "surge-xt-copy").put("name", "Surge XT (copy)")));
        Catalog three = two.without("surge-xt-copy");
        assertEquals(SEED.version() + 3, three.version());
        assertEquals("Surge XT (copy)", two.find("surge-xt-copy").orElseThrow().name());
        assertEquals(SEED.entries(), three.entries());
        assertThrows(IllegalArgumentException.class, () -> one.with(added));
    }

    @Test
    void searchFiltersByTagFormatOsAndLicence() {
        var found = SEED.search("felt", "VST3", "windows", "paid", null);
        assertTrue(found.stream().anyMatch(e -> e.id().equals("ni-noire")), found.toString());
        assertTrue(found.stream().allMatch(e -> e.formats().contains("VST3") && e.os().contains("windows") && !e.isFree()));
        var linuxClap = SEED.search(null, "clap", "linux", "free", "instrument");
        assertTrue(linuxClap.stream().anyMatch(e -> e.id().equals("surge-xt")));
        assertTrue(linuxClap.stream().noneMatch(e -> e.id().equals("vital")), "Vital has no CLAP build");
    }
}
