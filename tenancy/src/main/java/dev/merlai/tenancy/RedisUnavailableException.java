package dev.merlai.tenancy;

/** Redis cannot be reached or failed a command. Redis is never the truth here, so callers fall back or go on. */
public class RedisUnavailableException extends RuntimeException {
    public RedisUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
