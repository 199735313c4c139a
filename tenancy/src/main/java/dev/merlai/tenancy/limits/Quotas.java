package dev.merlai.tenancy.limits;

import dev.merlai.tenancy.Plan;
import dev.merlai.tenancy.RedisUnavailableException;
import dev.merlai.tenancy.usage.UsageLedger;
import dev.merlai.tenancy.usage.Unit;

import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.logging.Logger;

/**
 * Monthly unit quotas, checked before any work: a tenant whose month (UTC) has reached its plan's quota of the unit a
 * job would use is refused. The job that crosses the quota still completes (its size is only known once read), so a
 * month can end at most one job above it.
 */
public final class Quotas {

    private static final Logger LOG = Logger.getLogger(Quotas.class.getName());

    private final UsageLedger ledger;
    private final Clock clock;

    public Quotas(UsageLedger ledger, Clock clock) {
        this.ledger = ledger;
        this.clock = clock;
    }

    /**
     * @throws QuotaExceededException when the month's use of {@code unit} has reached the plan's quota
     */
    public void check(String tenant, Plan plan, Unit unit) {
        Long quota = plan.monthlyQuota().get(unit);
        if (quota == null) return;
        YearMonth month = YearMonth.now(clock.withZone(ZoneOffset.UTC));
        long used;
        try {
            used = ledger.monthTotal(tenant, month, unit);
        } catch (RedisUnavailableException e) {
            // The counters are down, not the service: work goes on and is recorded; the quota holds again with Redis.
            LOG.warning("quota of " + tenant + " not checked, Redis is down: " + e.getMessage());
            return;
        }
        if (used >= quota) throw new QuotaExceededException(unit, used, quota, month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC));
    }
}
