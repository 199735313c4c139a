package dev.merlai.storage;

import java.time.Instant;

/**
 * An object as a listing names it.
 *
 * @param eTag         the store's version tag
 * @param lastModified when it was last written, by the store's clock
 */
public record ListedObject(String key, String eTag, Instant lastModified) {
}
