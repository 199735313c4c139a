package dev.merlai.storage;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An object key a caller gave (in a request, an event or an upload's name), checked once before anything is read or
 * written under it: {@code tenants/<tenant>/<area>/<name...>} exactly as stored, never resolved. Object stores differ
 * in what they do with {@code ..}, {@code //} or encoded characters (S3Proxy resolves {@code ..} on its file system),
 * so a key that any store could read as another object is refused outright, by its text alone: no store is asked, and
 * the answer never depends on whether some other object exists.
 *
 * @param tenant the tenant whose objects the key names
 * @param area   the tenant's folder it lies in: {@code inbox}, {@code results}, {@code training}, ...
 * @param key    the key itself
 */
public record TenantKey(String tenant, String area, String key) {

    /** Longer keys are refused: S3 allows 1,024 bytes, and nothing Merlai writes comes near this. */
    public static final int MAX_LENGTH = 512;
    /**
     * Longer segments (in UTF-8 bytes) are refused: a store on a file system (S3Proxy) keeps each as a file name of at
     * most 255 bytes, writes it first under a longer temporary name (above about 215 bytes that fails), and answers
     * with a 500 as if it were down.
     */
    public static final int MAX_SEGMENT_BYTES = 200;

    private static final Pattern PERCENT_ENCODED = Pattern.compile("%[0-9A-Fa-f]{2}");

    /**
     * The key checked and split.
     *
     * @throws IllegalArgumentException saying what is wrong with the key's text
     */
    public static TenantKey parse(String key) {
        if (key == null || key.isEmpty()) throw new IllegalArgumentException("the key is empty");
        if (key.length() > MAX_LENGTH) throw new IllegalArgumentException("the key is longer than " + MAX_LENGTH + " characters");
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isISOControl(c)) throw new IllegalArgumentException("the key holds a control character");
            if (c == '\\') throw new IllegalArgumentException("the key holds a backslash");
            // An unpaired surrogate has no UTF-8 form: the client sends '?' instead, so the key would name another object.
            if (Character.isHighSurrogate(c) && (i + 1 == key.length() || !Character.isLowSurrogate(key.charAt(i + 1)))
                    || Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(key.charAt(i - 1)))) {
                throw new IllegalArgumentException("the key holds an unpaired surrogate (no character)");
            }
        }
        if (PERCENT_ENCODED.matcher(key).find()) throw new IllegalArgumentException("the key holds a percent-encoded character");
        String[] segments = key.split("/", -1);
        for (String segment : segments) {
            if (segment.isEmpty()) throw new IllegalArgumentException("the key has an empty segment ('//', or a '/' at its start or end)");
            if (segment.equals(".") || segment.equals("..")) throw new IllegalArgumentException("the key has a '.' or '..' segment");
            if (segment.getBytes(StandardCharsets.UTF_8).length > MAX_SEGMENT_BYTES) {
                throw new IllegalArgumentException("the key has a segment longer than " + MAX_SEGMENT_BYTES + " bytes");
            }
        }
        if (segments.length < 4 || !segments[0].equals("tenants")) {
            throw new IllegalArgumentException("the key must be tenants/<tenant>/<folder>/<name>");
        }
        StorageLayout.checkName("tenant", segments[1]);
        return new TenantKey(segments[1], segments[2], key);
    }

    /**
     * The key, when it is checked and names an object of {@code tenant} in one of {@code areas}.
     *
     * @throws IllegalArgumentException the same words for a key of another tenant and for a malformed one, so neither
     *                                  says more about others' objects than the key's text does
     */
    public static TenantKey owned(String tenant, String key, Set<String> areas) {
        String expected = "the key must name an object of yours under " + String.join(" or ", areas.stream().sorted()
                .map(area -> "tenants/" + tenant + "/" + area + "/").toList());
        TenantKey parsed;
        try {
            parsed = parse(key);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + "; " + expected);
        }
        if (!parsed.tenant.equals(tenant) || !areas.contains(parsed.area)) throw new IllegalArgumentException(expected);
        return parsed;
    }

    /** The key's last segment: the object's own name. */
    public String name() {
        return key.substring(key.lastIndexOf('/') + 1);
    }

    /** Whether the name is directly in the area's folder (no sub-folders). */
    public boolean isTopLevel() {
        return key.length() == ("tenants/" + tenant + "/" + area + "/" + name()).length();
    }
}
