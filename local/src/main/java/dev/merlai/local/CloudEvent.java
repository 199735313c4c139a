package dev.merlai.local;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A CloudEvent 1.0 as HTTP binary mode carries it: the attributes travel as {@code ce-*} headers, the data
 * as the body with its {@code Content-Type}. As the HTTP binding says, a header value carries an attribute
 * percent-encoded: space, {@code "}, {@code %} and every character outside printable ASCII become {@code %XX} of their
 * UTF-8 bytes (an upload named {@code ✓ 夜.mid} is {@code %E2%9C%93%20%E5%A4%9C.mid}), and a receiver decodes them.
 *
 * @param attributes  context attributes by name without the {@code ce-} prefix, lower case ({@code specversion},
 *                    {@code id}, {@code source}, {@code type}, optional {@code subject}, extensions), in header order
 * @param contentType the data's media type ({@code application/json} in Merlai)
 * @param data        the body
 */
public record CloudEvent(Map<String, String> attributes, String contentType, byte[] data) {

    public static final String SPEC_VERSION = "1.0";
    public static final String JSON = "application/json";
    private static final String PREFIX = "ce-";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    public CloudEvent {
        attributes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
        for (String required : List.of("specversion", "id", "source", "type")) {
            String value = attributes.get(required);
            if (value == null || value.isBlank()) throw new IllegalArgumentException("the event has no ce-" + required + " header");
        }
        if (!SPEC_VERSION.equals(attributes.get("specversion"))) {
            throw new IllegalArgumentException("ce-specversion must be " + SPEC_VERSION + ", was " + attributes.get("specversion"));
        }
        contentType = contentType == null || contentType.isBlank() ? JSON : contentType;
        data = data == null ? new byte[0] : data;
    }

    /** A new event with JSON data; {@code subject} may be null. */
    public static CloudEvent json(String type, String source, String id, String subject, String json) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("specversion", SPEC_VERSION);
        attributes.put("id", id);
        attributes.put("source", source);
        attributes.put("type", type);
        if (subject != null) attributes.put("subject", subject);
        return new CloudEvent(attributes, JSON, json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads a binary-mode event from HTTP headers (any letter case) and body.
     *
     * @throws IllegalArgumentException when a required attribute is missing or the spec version is not 1.0
     */
    public static CloudEvent fromHeaders(Map<String, List<String>> headers, byte[] body) {
        Map<String, String> attributes = new LinkedHashMap<>();
        String contentType = null;
        for (Map.Entry<String, List<String>> header : headers.entrySet()) {
            if (header.getKey() == null || header.getValue().isEmpty()) continue;
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (name.startsWith(PREFIX) && name.length() > PREFIX.length()) {
                attributes.put(name.substring(PREFIX.length()), decode(header.getValue().get(0)));
            } else if (name.equals("content-type")) {
                contentType = header.getValue().get(0);
            }
        }
        return new CloudEvent(attributes, contentType, body);
    }

    /** The HTTP headers that carry this event in binary mode: {@code ce-*} and {@code Content-Type}. */
    public Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        attributes.forEach((name, value) -> headers.put(PREFIX + name, encode(value)));
        headers.put("content-type", contentType);
        return headers;
    }

    /** An attribute as a header value: the HTTP binding's percent-encoding. */
    static String encode(String value) {
        StringBuilder encoded = new StringBuilder(value.length());
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if (c > 0x20 && c < 0x7F && c != '"' && c != '%') encoded.append((char) c);
            else encoded.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
        }
        return encoded.toString();
    }

    /**
     * A header value as the attribute: {@code %XX} sequences decoded as UTF-8. A {@code %} that starts no such sequence
     * is kept as it is, so a sender that does not encode (a hand-written {@code curl}) is read as it meant.
     */
    static String decode(String value) {
        if (value.indexOf('%') < 0) return value;
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(value.length());
        for (int i = 0; i < value.length(); ) {
            int high = value.charAt(i) == '%' && i + 2 < value.length() ? Character.digit(value.charAt(i + 1), 16) : -1;
            int low = high >= 0 ? Character.digit(value.charAt(i + 2), 16) : -1;
            if (low >= 0) {
                bytes.write(high << 4 | low);
                i += 3;
            } else {
                int codePoint = value.codePointAt(i);
                bytes.writeBytes(new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(codePoint);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    public String id() {
        return attributes.get("id");
    }

    public String source() {
        return attributes.get("source");
    }

    public String type() {
        return attributes.get("type");
    }

    /** The subject, or null when the event has none. */
    public String subject() {
        return attributes.get("subject");
    }

    @Override
    public String toString() {
        return "CloudEvent[type " + type() + ", id " + id() + ", source " + source() + ", " + data.length + " bytes]";
    }
}
