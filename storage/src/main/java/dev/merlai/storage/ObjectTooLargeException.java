package dev.merlai.storage;

/** An object holds more bytes than the reader accepts; it was not read. */
public class ObjectTooLargeException extends RuntimeException {

    private final long size;
    private final long limit;
    private final ObjectHead head;

    /** @param head what the store said of the object in the answer that was cut short */
    public ObjectTooLargeException(String key, long size, long limit, ObjectHead head) {
        super(key + " holds " + (size > limit + 1 ? size + " bytes" : "more than " + limit + " bytes") + ", more than the limit of " + limit);
        this.size = size;
        this.limit = limit;
        this.head = head;
    }

    public ObjectHead head() {
        return head;
    }

    public long size() {
        return size;
    }

    public long limit() {
        return limit;
    }
}
