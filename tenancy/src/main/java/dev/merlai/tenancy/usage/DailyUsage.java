package dev.merlai.tenancy.usage;

import java.time.LocalDate;

/** A tenant's total of one unit on one UTC day. */
public record DailyUsage(LocalDate day, Unit unit, long amount) {
}
