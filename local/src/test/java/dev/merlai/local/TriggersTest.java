package dev.merlai.local;

import dev.merlai.events.EventTypes;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

@DisplayName("Triggers")
class TriggersTest {

    private static final Pattern TYPE = Pattern.compile("(?m)^\\s+type:\\s*(\\S+)\\s*$");
    private static final Pattern SERVICE = Pattern.compile("(?s)subscriber:\\s*\\n\\s*ref:.*?kind:\\s*Service\\s*\\n\\s*name:\\s*(\\S+)");

    @Test
    @DisplayName("routes each type as the Knative Triggers in knative/base do, to the functions that run as Services")
    void mirrorsKnative() throws IOException {
        Map<String, List<String>> knative = new HashMap<>();
        try (Stream<Path> files = Files.list(Path.of("..", "knative", "base"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                for (String document : Files.readString(file).split("(?m)^---\\s*$")) {
                    if (!document.contains("kind: Trigger")) continue;
                    Matcher type = TYPE.matcher(document);
                    Matcher service = SERVICE.matcher(document);
                    if (type.find() && service.find()) knative.computeIfAbsent(type.group(1), t -> new ArrayList<>()).add(service.group(1));
                }
            }
        }
        assertEquals(knative, Triggers.FUNCTIONS);
    }

    @Test
    @DisplayName("sends events to the root path of each function, leaving out functions it has no URL for")
    void routes() {
        Map<String, List<URI>> routes = Triggers.routes(Map.of(LocalMerlai.COMPLETE, URI.create("http://127.0.0.1:8080")));
        assertEquals(Map.of(EventTypes.MELODY_UPLOADED, List.of(URI.create("http://127.0.0.1:8080/"))), routes);
    }
}
