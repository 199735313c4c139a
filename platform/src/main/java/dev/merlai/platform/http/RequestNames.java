package dev.merlai.platform.http;

import dev.merlai.storage.StorageLayout;

/** A name from a request (a job or batch id in the path or the body) that becomes part of a storage key. */
public final class RequestNames {

    private RequestNames() {
    }

    /** {@code value} when it is a safe storage name ({@link StorageLayout#checkName}); else a 400 naming {@code field}. */
    public static String checked(String field, String value) throws InvalidRequestException {
        return checked(field, field, value);
    }

    /**
     * {@code value}, the {@code name} part of the request's {@code field}, when it is a safe storage name; else a 400
     * naming {@code field} (an event's {@code job} reference is a tenant and a job).
     */
    public static String checked(String field, String name, String value) throws InvalidRequestException {
        try {
            return StorageLayout.checkName(name, value);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(field, e.getMessage());
        }
    }
}
