package dev.merlai.deploy;

import dev.merlai.events.EventTypes;
import io.fabric8.knative.duck.v1.DeliverySpec;
import io.fabric8.knative.duck.v1.Destination;
import io.fabric8.knative.duck.v1.KReference;
import io.fabric8.knative.eventing.v1.Broker;
import io.fabric8.knative.eventing.v1.Trigger;
import io.fabric8.knative.eventing.v1alpha1.EventTransform;
import io.fabric8.knative.eventing.v1alpha1.KafkaSink;
import io.fabric8.knative.serving.v1.Service;
import io.fabric8.knative.sources.v1beta1.KafkaSource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Events flow Broker -> Trigger -> function -> reply -> Broker. The event types come from
 * {@link EventTypes}, the list the functions' code uses too.
 */
class EventRoutingTest {

    private static final List<HasMetadata> BASE = Manifests.base();
    private static final List<Trigger> TRIGGERS = Manifests.ofType(BASE, Trigger.class);
    private static final Pattern TYPE = Pattern.compile("\"type\"\\s*:\\s*\"([^\"]+)\"");

    static List<String> functions() {
        return Manifests.eventFunctions();
    }

    private static String filterType(Trigger trigger) {
        String type = trigger.getSpec().getFilter() == null ? null : trigger.getSpec().getFilter().getAttributes().get("type");
        assertNotNull(type, "Trigger " + trigger.getMetadata().getName() + " filters on no type: it would take every event");
        return type;
    }

    /** The types the MinIO bridge's EventTransforms write. */
    private static Set<String> bridgeTypes() {
        Set<String> types = new HashSet<>();
        for (EventTransform transform : Manifests.ofType(BASE, EventTransform.class)) {
            Matcher m = TYPE.matcher(transform.getSpec().getJsonata().getExpression());
            while (m.find()) types.add(m.group(1));
        }
        return types;
    }

    @Test
    void everyTypeAFunctionEmitsHasATrigger() {
        Set<String> filtered = new HashSet<>();
        TRIGGERS.forEach(t -> filtered.add(filterType(t)));
        for (String type : EventTypes.emitted()) assertTrue(filtered.contains(type), "no Trigger takes " + type + ": the Broker would drop it");
    }

    @Test
    void everyTriggerFiltersOnATypeThatIsProduced() {
        Set<String> produced = new HashSet<>(EventTypes.emitted());
        produced.addAll(bridgeTypes());
        produced.addAll(EventTypes.fromClients());
        for (Trigger trigger : TRIGGERS) {
            assertTrue(produced.contains(filterType(trigger)),
                    "Trigger " + trigger.getMetadata().getName() + " waits for " + filterType(trigger) + ", which nothing emits");
        }
    }

    @Test
    void minioUploadsEnterTheBrokerAsMelodyUploaded() {
        EventTransform transform = Manifests.ofType(BASE, EventTransform.class).get(0);
        assertEquals(Set.of(EventTypes.MELODY_UPLOADED), bridgeTypes());
        assertEquals(new KReferenceKey("Broker", "merlai"), KReferenceKey.of(transform.getSpec().getSink()));
        KafkaSource source = Manifests.ofType(BASE, KafkaSource.class).stream()
                .filter(s -> KReferenceKey.of(s.getSpec().getSink()).equals(new KReferenceKey("EventTransform", transform.getMetadata().getName())))
                .findFirst().orElseThrow(() -> new AssertionError("no KafkaSource feeds the EventTransform"));
        assertEquals(List.of(StorageTest.minioEnv("MINIO_NOTIFY_KAFKA_TOPIC_MERLAI")), source.getSpec().getTopics(),
                "the KafkaSource reads the topic MinIO's Kafka target writes");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("functions")
    void everyFunctionIsSubscribedAtItsFunqyPath(String function) {
        List<Trigger> mine = TRIGGERS.stream().filter(t -> KReferenceKey.of(t.getSpec().getSubscriber()).equals(new KReferenceKey("Service", function))).toList();
        assertFalse(mine.isEmpty(), "no Trigger delivers to " + function);
        for (Trigger trigger : mine) assertEquals("/" + function, trigger.getSpec().getSubscriber().getUri());
    }

    @Test
    void everySubscriberExists() {
        for (Trigger trigger : TRIGGERS) {
            KReference ref = trigger.getSpec().getSubscriber().getRef();
            boolean exists = switch (ref.getKind()) {
                case "Service" -> Manifests.named(BASE, Service.class, ref.getName()).isPresent() && functions().contains(ref.getName());
                case "KafkaSink" -> Manifests.named(BASE, KafkaSink.class, ref.getName()).isPresent();
                default -> false;
            };
            assertTrue(exists, "Trigger " + trigger.getMetadata().getName() + " delivers to " + ref.getKind() + " " + ref.getName() + ", which is not in the base");
            assertEquals("merlai", trigger.getSpec().getBroker());
        }
    }

    @Test
    void theBrokerIsKafkaBackedWithADeadLetterSink() {
        Broker broker = Manifests.named(BASE, Broker.class, "merlai").orElseThrow();
        assertEquals("Kafka", broker.getMetadata().getAnnotations().get("eventing.knative.dev/broker.class"));
        assertDeadLettersAreKept(broker.getSpec().getDelivery(), "the Broker");
    }

    @Test
    void everyTriggerAndSourceRetriesWithBackoffThenDeadLetters() {
        for (Trigger trigger : TRIGGERS) assertDeadLettersAreKept(trigger.getSpec().getDelivery(), "Trigger " + trigger.getMetadata().getName());
        for (KafkaSource source : Manifests.ofType(BASE, KafkaSource.class)) assertDeadLettersAreKept(source.getSpec().getDelivery(), "KafkaSource " + source.getMetadata().getName());
    }

    @Test
    void deadLettersCanBeReplayedIntoTheBroker() {
        KafkaSink dlq = Manifests.named(BASE, KafkaSink.class, "merlai-dead-letter").orElseThrow();
        assertEquals("structured", dlq.getSpec().getContentMode(), "whole CloudEvents in each record, so they replay as they were");
        KafkaSource replay = Manifests.named(Manifests.read(Manifests.KNATIVE.resolve("replay/dead-letter-replay.yaml")), KafkaSource.class, "dead-letter-replay").orElseThrow();
        assertEquals(List.of(dlq.getSpec().getTopic()), replay.getSpec().getTopics());
        assertEquals(new KReferenceKey("Broker", "merlai"), KReferenceKey.of(replay.getSpec().getSink()));
    }

    private static void assertDeadLettersAreKept(DeliverySpec delivery, String who) {
        assertNotNull(delivery, who + " has no delivery spec");
        assertNotNull(delivery.getDeadLetterSink(), who + " has no dead-letter sink");
        KReferenceKey sink = KReferenceKey.of(delivery.getDeadLetterSink());
        assertEquals(new KReferenceKey("KafkaSink", "merlai-dead-letter"), sink, who + " dead-letters somewhere that cannot be replayed");
        assertTrue(delivery.getRetry() != null && delivery.getRetry() > 0, who + " retries");
        assertEquals("exponential", delivery.getBackoffPolicy(), who + " backs off exponentially");
        assertFalse(Duration.parse(delivery.getBackoffDelay()).isZero(), who + " backoff delay");
    }

    /** A reference by kind and name, enough to tell sinks apart within one namespace. */
    record KReferenceKey(String kind, String name) {
        static KReferenceKey of(Destination destination) {
            assertNotNull(destination.getRef(), "a destination by URI only cannot be checked");
            return new KReferenceKey(destination.getRef().getKind(), destination.getRef().getName());
        }
    }
}
