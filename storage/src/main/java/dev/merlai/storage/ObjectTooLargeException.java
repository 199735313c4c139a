package dev.merlai.storage;

/** An object holds more bytes than the reader accepts; it was not read. */
public class ObjectTooLargeException extends RuntimeException {

    private final long size;
    private final long limit;

    public ObjectTooLargeException(String key, long size, long limit) {
        super(key + " holds " + (size > limit + 1 ? size + " bytes" : "more than " + limit + " bytes") + ", more than the limit of " + limit);
        this.size = size;
        this.limit = limit;
    }

    public long size() {
        return size;
    }

    public long limit() {
        return limit;
    }
}
