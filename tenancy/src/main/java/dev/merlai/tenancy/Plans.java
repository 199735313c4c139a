package dev.merlai.tenancy;

import dev.merlai.tenancy.usage.Unit;

import java.math.BigDecimal;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The plans, read from flat settings such as {@code merlai.plans.free.rate-per-second=2},
 * {@code merlai.plans.free.burst=5}, {@code merlai.plans.free.quota.bars=500}, {@code merlai.plans.free.included.bars=100},
 * {@code merlai.plans.free.price.bars=0.002}, {@code merlai.plans.free.currency=EUR}. New tenants get
 * {@code merlai.plans.default}.
 */
public final class Plans {

    public static final String PREFIX = "merlai.plans.";

    private final Map<String, Plan> plans;
    private final String defaultPlan;

    private Plans(Map<String, Plan> plans, String defaultPlan) {
        this.plans = Map.copyOf(plans);
        this.defaultPlan = defaultPlan;
        if (!plans.containsKey(defaultPlan)) throw new IllegalArgumentException("the default plan '" + defaultPlan + "' is not configured; there are " + plans.keySet());
    }

    /** @param settings every setting; those under {@value #PREFIX} are read */
    public static Plans fromSettings(Map<String, String> settings) {
        Map<String, Map<String, String>> byPlan = new TreeMap<>();
        String defaultPlan = null;
        for (var entry : settings.entrySet()) {
            if (!entry.getKey().startsWith(PREFIX)) continue;
            String rest = entry.getKey().substring(PREFIX.length());
            if (rest.equals("default")) {
                defaultPlan = entry.getValue().trim();
                continue;
            }
            int dot = rest.indexOf('.');
            if (dot < 1) throw new IllegalArgumentException("cannot read plan setting " + entry.getKey());
            byPlan.computeIfAbsent(rest.substring(0, dot), p -> new TreeMap<>()).put(rest.substring(dot + 1), entry.getValue().trim());
        }
        if (defaultPlan == null) throw new IllegalArgumentException(PREFIX + "default is not set");
        Map<String, Plan> plans = new TreeMap<>();
        byPlan.forEach((name, values) -> plans.put(name, plan(name, values)));
        return new Plans(plans, defaultPlan);
    }

    private static Plan plan(String name, Map<String, String> values) {
        Map<Unit, Long> quota = new EnumMap<>(Unit.class);
        Map<Unit, Long> included = new EnumMap<>(Unit.class);
        Map<Unit, BigDecimal> price = new EnumMap<>(Unit.class);
        String setting = "";
        try {
            for (var entry : values.entrySet()) {
                setting = PREFIX + name + "." + entry.getKey();
                String key = entry.getKey();
                if (key.startsWith("quota.")) quota.put(Unit.fromId(key.substring(6)), Long.parseLong(entry.getValue()));
                else if (key.startsWith("included.")) included.put(Unit.fromId(key.substring(9)), Long.parseLong(entry.getValue()));
                else if (key.startsWith("price.")) price.put(Unit.fromId(key.substring(6)), new BigDecimal(entry.getValue()));
                else if (!key.equals("rate-per-second") && !key.equals("burst") && !key.equals("currency")) {
                    throw new IllegalArgumentException("unknown plan setting");
                }
            }
            setting = PREFIX + name + ".rate-per-second/burst";
            return new Plan(name, Double.parseDouble(values.getOrDefault("rate-per-second", "")), Integer.parseInt(values.getOrDefault("burst", "")),
                    quota, included, price, values.getOrDefault("currency", "EUR"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("plan setting " + setting + ": " + e.getMessage(), e);
        }
    }

    public Optional<Plan> find(String name) {
        return Optional.ofNullable(plans.get(name));
    }

    /** The tenant's plan; one no longer configured falls back to the default, so a removed plan never locks a tenant out. */
    public Plan of(Tenant tenant) {
        return plans.getOrDefault(tenant.plan(), plans.get(defaultPlan));
    }

    public String defaultPlan() {
        return defaultPlan;
    }

    public Map<String, Plan> all() {
        return plans;
    }
}
