package dev.merlai.events;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A CloudEvent attribute as an HTTP header value and back, as the CloudEvents HTTP binding says: space, {@code "},
 * {@code %} and every character outside printable ASCII travel as {@code %XX} of their UTF-8 bytes (an upload named
 * {@code ✓ 夜.mid} is {@code %E2%9C%93%20%E5%A4%9C.mid}), and a receiver decodes them. HTTP clients refuse header values
 * outside Latin-1, so without this one upload name stops whatever sends it; signatures ({@link EventSignature}) cover
 * the decoded values, so sender and receiver agree whatever the wire carries.
 */
public final class HeaderValues {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private HeaderValues() {
    }

    /** The header value that carries {@code value}; null stays null. */
    public static String encode(String value) {
        if (value == null) return null;
        StringBuilder encoded = new StringBuilder(value.length());
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if (c > 0x20 && c < 0x7F && c != '"' && c != '%') encoded.append((char) c);
            else encoded.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
        }
        return encoded.toString();
    }

    /**
     * The attribute a header value carries: {@code %XX} sequences decoded as UTF-8; null stays null. A {@code %} that
     * starts no such sequence is kept as it is, so a sender that does not encode (a hand-written {@code curl}) is read as
     * it meant.
     */
    public static String decode(String value) {
        if (value == null || value.indexOf('%') < 0) return value;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(value.length());
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
}
