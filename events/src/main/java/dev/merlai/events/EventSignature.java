package dev.merlai.events;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

/**
 * How Merlai's own senders on one machine (the inbox watcher, the event router, the functions' event sink) prove that
 * an event is theirs: an HMAC-SHA256 with a shared secret over the signing time, the event's {@code id}, {@code source},
 * {@code type}, {@code subject} and the HTTP body, sent as the header {@value #HEADER}: {@code t=<epoch seconds>,v1=<hex>}.
 * A signature older or newer than {@link #TOLERANCE} is refused, so a captured event cannot be replayed later.
 */
public final class EventSignature {

    public static final String HEADER = "Merlai-Signature";
    public static final Duration TOLERANCE = Duration.ofMinutes(5);
    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;

    /** @param secret the shared secret; at least 32 characters */
    public EventSignature(String secret) {
        if (secret == null || secret.strip().length() < 32) throw new IllegalArgumentException("the events secret must have at least 32 characters");
        this.key = new SecretKeySpec(secret.strip().getBytes(StandardCharsets.UTF_8), ALGORITHM);
    }

    /** The header value that signs this event now. {@code subject} may be null. */
    public String sign(String id, String source, String type, String subject, byte[] body) {
        long seconds = Instant.now().getEpochSecond();
        return "t=" + seconds + ",v1=" + HexFormat.of().formatHex(mac(seconds, id, source, type, subject, body));
    }

    /**
     * Whether {@code header} is a signature of this event made with this secret within {@link #TOLERANCE} of now.
     * Compared in constant time.
     */
    public boolean verify(String header, String id, String source, String type, String subject, byte[] body) {
        if (header == null) return false;
        Long seconds = null;
        byte[] given = null;
        for (String part : header.split(",")) {
            String[] pair = part.strip().split("=", 2);
            if (pair.length != 2) return false;
            try {
                if (pair[0].equals("t")) seconds = Long.parseLong(pair[1]);
                else if (pair[0].equals("v1")) given = HexFormat.of().parseHex(pair[1]);
            } catch (IllegalArgumentException malformed) {
                return false;
            }
        }
        if (seconds == null || given == null) return false;
        if (Math.abs(Instant.now().getEpochSecond() - seconds) > TOLERANCE.toSeconds()) return false;
        return MessageDigest.isEqual(given, mac(seconds, id, source, type, subject, body));
    }

    private byte[] mac(long seconds, String id, String source, String type, String subject, byte[] body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            // Each field ends with a newline; none of the attributes may hold one (HTTP headers cannot).
            String signed = seconds + "\n" + nonNull(id) + "\n" + nonNull(source) + "\n" + nonNull(type) + "\n" + nonNull(subject) + "\n";
            mac.update(signed.getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body == null ? new byte[0] : body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static String nonNull(String value) {
        return value == null ? "" : value;
    }
}
