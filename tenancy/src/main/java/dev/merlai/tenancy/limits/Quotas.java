package dev.merlai.tenancy.limits;

import dev.merlai.tenancy.Plan;
import dev.merlai.tenancy.RedisUnavailableException;
import dev.merlai.tenancy.usage.UsageLedger;
import dev.merlai.tenancy.usage.Unit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.logging.Logger;

/**
 * Monthly unit quotas, checked before any work: a tenant whose month (UTC) has reached its plan's quota of the unit a
 * job would use is refused. The job that crosses the quota still completes (its size is only known once read), so a
 * month can end at most one job above it.
 *
 * <p>The month's use comes from the ledger's counters in Redis; while Redis is down, from the usage records in the
 * object store (the truth), summed and kept here for {@link #RECORDED_TOTALS_FOR} so a busy tenant does not re-read
 * them on every request. A quota never fails open: with the store down too, the check fails (503).
 */
public final class Quotas {

    /** How long a sum of the records stands in for the counters while Redis is down: the most a tenant can overrun by is what it does in that time. */
    public static final Duration RECORDED_TOTALS_FOR = Duration.ofSeconds(10);
    private static final Logger LOG = Logger.getLogger(Quotas.class.getName());

    private record RecordedTotals(Map<Unit, Long> totals, Instant readAt) {
    }

    private final UsageLedger ledger;
    private final Clock clock;
    private final ConcurrentMap<String, RecordedTotals> recorded = new ConcurrentHashMap<>();

    public Quotas(UsageLedger ledger, Clock clock) {
        this.ledger = ledger;
        this.clock = clock;
    }

    /**
     * @throws QuotaExceededException when the month's use of {@code unit} has reached the plan's quota
     * @throws dev.merlai.storage.StorageUnavailableException when Redis and the object store are both down
     */
    public void check(String tenant, Plan plan, Unit unit) {
        Long quota = plan.monthlyQuota().get(unit);
        if (quota == null) return;
        YearMonth month = YearMonth.now(clock.withZone(ZoneOffset.UTC));
        long used;
        try {
            used = ledger.monthTotal(tenant, month, unit);
        } catch (RedisUnavailableException e) {
            LOG.fine(() -> "quota of " + tenant + " checked against the usage records, Redis is down: " + e.getMessage());
            used = recordedTotals(tenant, month).getOrDefault(unit, 0L);
        }
        if (used >= quota) throw new QuotaExceededException(unit, used, quota, month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC));
    }

    private Map<Unit, Long> recordedTotals(String tenant, YearMonth month) {
        Instant now = clock.instant();
        // Sums past their time are of no use: dropped, so the map holds only the tenants checked in the last few seconds.
        recorded.values().removeIf(totals -> !now.isBefore(totals.readAt().plus(RECORDED_TOTALS_FOR)));
        return recorded.compute(tenant + ":" + month, (key, known) -> known != null && now.isBefore(known.readAt().plus(RECORDED_TOTALS_FOR))
                ? known : new RecordedTotals(ledger.recordedMonthTotals(tenant, month), now)).totals();
    }
}
