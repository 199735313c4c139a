package dev.merlai.storage;

/** The object store is down or unreachable: nothing is wrong with the request, try again later. */
public class StorageUnavailableException extends RuntimeException {
    public StorageUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
