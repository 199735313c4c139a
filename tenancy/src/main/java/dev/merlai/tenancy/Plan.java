package dev.merlai.tenancy;

import dev.merlai.tenancy.usage.Unit;

import java.math.BigDecimal;
import java.util.Map;

/**
 * What a tenant may use and what it costs, from configuration ({@link Plans}).
 *
 * @param name              e.g. {@code free}
 * @param requestsPerSecond the steady request rate of the tenant's token bucket
 * @param burst             the bucket's size: requests that may come at once
 * @param monthlyQuota      per unit, the most a calendar month (UTC) may use; a unit not named has no quota
 * @param included          per unit, what a month includes at no charge (the free tier)
 * @param price             per unit, the price of each unit beyond the included ones
 * @param currency          ISO 4217 code of the prices
 */
public record Plan(String name, double requestsPerSecond, int burst, Map<Unit, Long> monthlyQuota, Map<Unit, Long> included,
                   Map<Unit, BigDecimal> price, String currency) {

    public Plan {
        if (!(requestsPerSecond > 0) || burst < 1) throw new IllegalArgumentException("plan " + name + " needs a rate above 0 and a burst of at least 1");
        monthlyQuota = Map.copyOf(monthlyQuota);
        included = Map.copyOf(included);
        price = Map.copyOf(price);
    }
}
