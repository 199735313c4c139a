package dev.merlai.events;

import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.core.message.MessageReader;
import io.cloudevents.http.HttpMessageFactory;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.rw.CloudEventRWException;

import java.net.URI;
import java.net.http.HttpRequest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A CloudEvent 1.0 as Merlai's senders and receivers write and read it, encoded by the CloudEvents SDK for Java: over
 * HTTP in either mode the binding allows (binary: attributes as {@code ce-*} headers, the data as the body; structured:
 * the whole event as {@code application/cloudevents+json}), and as a JSON batch
 * ({@code application/cloudevents-batch+json}). Events are sent in binary mode, as Knative's broker delivers them.
 * Attribute headers are percent-encoded ({@link HeaderValues}), so any upload name can travel.
 *
 * @param event the SDK's event
 */
public record CloudEvent(io.cloudevents.CloudEvent event) {

    public static final String JSON = "application/json";
    /** The media type of a batch of structured events. */
    public static final String BATCH = "application/cloudevents-batch+json";
    private static final EventFormat FORMAT = new JsonFormat();

    /** A new event with JSON data; {@code subject} may be null. */
    public static CloudEvent json(String type, String source, String id, String subject, String json) {
        return json(type, source, id, subject, json.getBytes(StandardCharsets.UTF_8));
    }

    /** A new event with JSON data given as its UTF-8 bytes; {@code subject} may be null. */
    public static CloudEvent json(String type, String source, String id, String subject, byte[] json) {
        return new CloudEvent(CloudEventBuilder.v1().withId(id).withSource(URI.create(source)).withType(type).withSubject(subject)
                .withData(JSON, json).build());
    }

    /** This event with its {@code time} attribute: when the fact it reports happened. */
    public CloudEvent at(Instant time) {
        return new CloudEvent(CloudEventBuilder.v1(event).withTime(time.atOffset(ZoneOffset.UTC)).build());
    }

    /**
     * Reads an event in binary or structured mode from HTTP headers (any letter case) and body.
     *
     * @throws IllegalArgumentException when it is no CloudEvent 1.0: a required attribute missing, another spec version,
     *                                  a structured body that does not parse
     */
    public static CloudEvent fromHttp(Map<String, List<String>> headers, byte[] body) {
        Map<String, String> single = new LinkedHashMap<>();
        headers.forEach((name, values) -> {
            if (name != null && !values.isEmpty()) single.put(name, attribute(name) ? HeaderValues.decode(values.get(0)) : values.get(0));
        });
        try {
            MessageReader reader = HttpMessageFactory.createReader(single, body);
            io.cloudevents.CloudEvent event = reader.toEvent();
            if (!"1.0".equals(event.getSpecVersion().toString())) {
                throw new IllegalArgumentException("the spec version must be 1.0, was " + event.getSpecVersion());
            }
            return new CloudEvent(event);
        } catch (CloudEventRWException | IllegalStateException e) {
            throw new IllegalArgumentException("not a CloudEvent: " + e.getMessage(), e);
        }
    }

    /** The HTTP headers that carry this event in binary mode ({@code ce-*} and {@code Content-Type}); its body is {@link #data()}. */
    public Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        HttpMessageFactory.createWriter((name, value) -> headers.put(name, attribute(name) ? HeaderValues.encode(value) : value), body -> {
        }).writeBinary(event);
        return headers;
    }

    /**
     * A binary-mode POST of this event to {@code target}: its {@code ce-*} headers and data, signed with {@code signature}
     * (null: unsigned), as every sender on the platform's event routes sends.
     */
    public HttpRequest.Builder post(URI target, Duration timeout, EventSignature signature) {
        HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(timeout).POST(HttpRequest.BodyPublishers.ofByteArray(data()));
        headers().forEach(request::header);
        if (signature != null) request.header(EventSignature.HEADER, signature.sign(id(), source(), type(), subject(), data()));
        return request;
    }

    /** This event in structured mode: the whole event as one {@code application/cloudevents+json} document. */
    public byte[] structured() {
        return FORMAT.serialize(event);
    }

    /** Events in the JSON batch format ({@value #BATCH}): an array of structured events. */
    public static byte[] batch(List<CloudEvent> events) {
        ByteArrayOutputStream batch = new ByteArrayOutputStream();
        batch.write('[');
        for (int i = 0; i < events.size(); i++) {
            if (i > 0) batch.write(',');
            batch.writeBytes(events.get(i).structured());
        }
        batch.write(']');
        return batch.toByteArray();
    }

    /** Whether a header carries an attribute ({@code ce-*}), percent-encoded as {@link HeaderValues} says. */
    private static boolean attribute(String header) {
        return header.regionMatches(true, 0, "ce-", 0, 3);
    }

    public String id() {
        return event.getId();
    }

    public String source() {
        return event.getSource().toString();
    }

    public String type() {
        return event.getType();
    }

    /** The subject, or null when the event has none. */
    public String subject() {
        return event.getSubject();
    }

    /** The data's media type ({@value #JSON} when the event does not say). */
    public String contentType() {
        return event.getDataContentType() == null ? JSON : event.getDataContentType();
    }

    /** The data, empty when the event has none. */
    public byte[] data() {
        return event.getData() == null ? new byte[0] : event.getData().toBytes();
    }

    @Override
    public String toString() {
        return "CloudEvent[type " + type() + ", id " + id() + ", source " + source() + ", " + data().length + " bytes]";
    }
}
