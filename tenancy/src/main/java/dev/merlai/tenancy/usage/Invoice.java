package dev.merlai.tenancy.usage;

import dev.merlai.tenancy.Plan;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a month would be billed on a plan: per unit, the use, the free units the plan includes, the rest at the
 * unit price. A preview: the month may not be over.
 */
public record Invoice(String tenant, String plan, YearMonth period, String currency, List<Line> lines, BigDecimal total) {

    /** One unit's part of the bill. */
    public record Line(Unit unit, long used, long included, long billable, BigDecimal unitPrice, BigDecimal amount) {
    }

    public static Invoice preview(String tenant, Plan plan, YearMonth period, Map<Unit, Long> used) {
        List<Line> lines = new ArrayList<>();
        BigDecimal total = BigDecimal.ZERO;
        for (Unit unit : Unit.values()) {
            long amount = used.getOrDefault(unit, 0L);
            long included = plan.included().getOrDefault(unit, 0L);
            long billable = Math.max(0, amount - included);
            BigDecimal price = plan.price().getOrDefault(unit, BigDecimal.ZERO);
            BigDecimal cost = price.multiply(BigDecimal.valueOf(billable)).setScale(2, RoundingMode.HALF_UP);
            lines.add(new Line(unit, amount, included, billable, price, cost));
            total = total.add(cost);
        }
        return new Invoice(tenant, plan.name(), period, plan.currency(), List.copyOf(lines), total);
    }
}
