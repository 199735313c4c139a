package dev.merlai.storage;

/**
 * An object read whole, with what its store said of it in the same answer: the bytes and the ETag and metadata belong
 * to one version, even when the object is replaced at the same moment.
 *
 * @param head  size, ETag and user metadata of the version read
 * @param bytes its content
 */
public record StoredObject(ObjectHead head, byte[] bytes) {
}
