package dev.merlai.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Only the platform's own senders reach the functions' event routes: each function checks the broker's OIDC token for
 * its own audience, a function that serves only events is not exposed outside the cluster, a NetworkPolicy admits only
 * Knative's data plane to the function pods, and the Broker takes events only from this namespace's identities.
 */
class EventSenderTest {

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Set<String> KNATIVE_DATA_PLANE = Set.of("knative-eventing", "knative-serving", "kourier-system");

    static List<String> functions() {
        return Manifests.eventFunctions();
    }

    /** Every document of the base, as YAML trees (the checks read fields some typed models do not know, e.g. audience). */
    private static List<JsonNode> documents() {
        List<JsonNode> documents = new ArrayList<>();
        for (String file : Manifests.resources(Manifests.BASE)) {
            try {
                for (String document : Files.readString(Manifests.BASE.resolve(file)).split("(?m)^---\\s*$")) {
                    JsonNode node = YAML.readTree(document);
                    if (node != null && node.has("kind")) documents.add(node);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return documents;
    }

    private static Stream<JsonNode> ofKind(String kind) {
        return documents().stream().filter(d -> kind.equals(d.path("kind").asText()));
    }

    private static JsonNode service(String function) {
        return ofKind("Service").filter(s -> s.path("apiVersion").asText().startsWith("serving.knative.dev/"))
                .filter(s -> function.equals(s.path("metadata").path("name").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no Knative Service " + function));
    }

    private static String env(JsonNode service, String name) {
        for (JsonNode env : service.path("spec").path("template").path("spec").path("containers").get(0).path("env")) {
            if (name.equals(env.path("name").asText())) return env.path("value").asText(null);
        }
        return null;
    }

    /** Whether the function's sources register a public API route ({@code /v1/...}). */
    private static boolean servesPublicRoutes(String function) {
        try (Stream<Path> sources = Files.walk(Manifests.REPO.resolve("functions").resolve(function).resolve("src/main/java"))) {
            return sources.filter(f -> f.toString().endsWith(".java")).anyMatch(f -> {
                try {
                    return Files.readString(f).contains("\"/v1/");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theFunctionsCheckTheBrokersTokensAgainstTheClusterIssuer() {
        JsonNode config = ofKind("ConfigMap").filter(c -> "merlai-config".equals(c.path("metadata").path("name").asText())).findFirst().orElseThrow();
        JsonNode data = config.path("data");
        assertEquals("oidc", data.path("MERLAI_EVENTS_AUTH").asText(), "in a cluster events are authenticated by Knative's sender identity");
        for (String setting : List.of("MERLAI_EVENTS_OIDC_ISSUER", "MERLAI_EVENTS_OIDC_JWKS_URL")) {
            assertTrue(data.path(setting).asText().startsWith("https://"), setting + " is the cluster's issuer over TLS");
        }
        assertTrue(data.path("MERLAI_EVENTS_OIDC_CA_FILE").asText().endsWith("/ca.crt"), "the JWKS is trusted through the cluster CA");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("functions")
    void eachFunctionAcceptsOnlyTokensForTheAudienceItsTriggersAskFor(String function) {
        String audience = env(service(function), "MERLAI_EVENTS_OIDC_AUDIENCE");
        assertNotNull(audience, function + " sets MERLAI_EVENTS_OIDC_AUDIENCE: without it every event is refused");
        List<JsonNode> triggers = ofKind("Trigger").filter(t -> function.equals(t.path("spec").path("subscriber").path("ref").path("name").asText())).toList();
        assertFalse(triggers.isEmpty(), function + " has a Trigger");
        for (JsonNode trigger : triggers) {
            assertEquals(audience, trigger.path("spec").path("subscriber").path("audience").asText(),
                    "Trigger " + trigger.path("metadata").path("name").asText() + " asks the broker for a token " + function + " accepts");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("functions")
    void aFunctionThatServesOnlyEventsIsClusterLocal(String function) {
        String visibility = service(function).path("metadata").path("labels").path("networking.knative.dev/visibility").asText("");
        if (servesPublicRoutes(function)) {
            assertEquals("", visibility, function + " serves /v1 and must stay reachable through the ingress");
        } else {
            assertEquals("cluster-local", visibility, function + " serves only events: it needs no public URL");
        }
    }

    @Test
    void onlyKnativesDataPlaneReachesTheFunctionPods() {
        JsonNode policy = ofKind("NetworkPolicy").filter(p -> p.path("spec").path("podSelector").toString().contains("serving.knative.dev/service"))
                .findFirst().orElseThrow(() -> new AssertionError("no NetworkPolicy for the function pods"));
        JsonNode selector = policy.path("spec").path("podSelector").path("matchExpressions").get(0);
        assertEquals("In", selector.path("operator").asText());
        List<String> selected = new ArrayList<>();
        selector.path("values").forEach(v -> selected.add(v.asText()));
        assertTrue(selected.containsAll(functions()), "every function's pods are selected: " + selected);
        assertEquals("Ingress", policy.path("spec").path("policyTypes").get(0).asText());
        JsonNode rules = policy.path("spec").path("ingress");
        assertEquals(1, rules.size(), "one rule: the data plane's namespaces");
        for (JsonNode from : rules.get(0).path("from")) {
            assertTrue(from.path("podSelector").isMissingNode() && from.path("ipBlock").isMissingNode(), "only namespaces are admitted: " + from);
            String namespace = from.path("namespaceSelector").path("matchLabels").path("kubernetes.io/metadata.name").asText();
            assertTrue(KNATIVE_DATA_PLANE.contains(namespace), namespace + " is not part of Knative's data plane");
        }
    }

    @Test
    void theBrokerTakesEventsOnlyFromThisNamespacesIdentities() {
        JsonNode policy = ofKind("EventPolicy").findFirst().orElseThrow(() -> new AssertionError("no EventPolicy for the Broker"));
        assertEquals("Broker", policy.path("spec").path("to").get(0).path("ref").path("kind").asText());
        for (JsonNode from : policy.path("spec").path("from")) {
            assertTrue(from.path("sub").asText().startsWith("system:serviceaccount:merlai:"), "a sender outside the namespace: " + from);
        }
    }
}
