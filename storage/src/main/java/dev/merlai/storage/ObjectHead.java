package dev.merlai.storage;

import java.util.Map;

/**
 * An object as its store describes it, without its bytes.
 *
 * @param size         bytes, or -1 when the store does not say
 * @param eTag         the store's version tag (the content's MD5 for a plain upload)
 * @param userMetadata {@code x-amz-meta-*} headers, names lower-case without the prefix
 */
public record ObjectHead(long size, String eTag, Map<String, String> userMetadata) {
}
