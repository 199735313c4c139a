package dev.merlai.tenancy.limits;

import dev.merlai.tenancy.usage.Unit;

import java.time.Instant;

/** The tenant has used its plan's monthly quota of a unit; no work is started until the quota resets. */
public class QuotaExceededException extends RuntimeException {

    private final Unit unit;
    private final long used;
    private final long quota;
    private final Instant resetsAt;

    public QuotaExceededException(Unit unit, long used, long quota, Instant resetsAt) {
        super("the monthly quota of " + quota + " " + unit.id() + " is used up (" + used + "); it resets at " + resetsAt);
        this.unit = unit;
        this.used = used;
        this.quota = quota;
        this.resetsAt = resetsAt;
    }

    public Unit unit() {
        return unit;
    }

    public long used() {
        return used;
    }

    public long quota() {
        return quota;
    }

    public Instant resetsAt() {
        return resetsAt;
    }
}
