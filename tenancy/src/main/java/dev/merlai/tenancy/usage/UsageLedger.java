package dev.merlai.tenancy.usage;

import dev.merlai.storage.ObjectStore;
import dev.merlai.storage.StorageLayout;
import dev.merlai.tenancy.RedisCommands;
import dev.merlai.tenancy.RedisUnavailableException;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Billable usage, recorded exactly once per (tenant, job, unit).
 *
 * <p>The record of truth is one object per record, {@code system/usage/<tenant>/<job>/<unit>.json}, written with a
 * conditional put (if none exists): a redelivered event, a retried request or a restarted function finds the record
 * already there and adds nothing. The key holds no date, so a retry on another day is still the same record.
 *
 * <p>Redis counts for fast reads (usage, quotas, invoices): per tenant and month a hash
 * {@code merlai:usage:<tenant>:<yyyy-MM>} with fields {@code <yyyy-MM-dd>/<unit>} and {@code month/<unit>}, and a set
 * {@code merlai:usage-seen:<tenant>:<yyyy-MM>} of the records counted, updated together by one script, so a record is
 * counted once however often it is applied. When Redis loses its data, {@link #reconcile()} rebuilds the counters from
 * the records with zero difference.
 *
 * <p>A tenant's month is also rebuilt on its own before its counters are read, so a quota never trusts counters that
 * lost data: a key {@code merlai:usage-counted:<tenant>:<yyyy-MM>} says its records were all counted; when it is
 * missing (Redis restarted empty) or this process wrote records it could not count, the month's records are counted
 * first (once at a time per tenant and month; counting is idempotent, so replicas doing it at once do no harm).
 *
 * <p>A record that Redis could not count also leaves a marker, {@code system/usage-uncounted/<tenant>/<yyyy-MM>/<job>/<unit>.json}:
 * another replica, which never saw the outage and trusts its counters, looks for markers of a month it reads at most
 * every {@link #UNCOUNTED_CHECK_EVERY}, counts the records they name and removes them, so replicas do not under-count
 * what one of them billed while Redis was away.
 */
public final class UsageLedger {

    public static final String PREFIX = "system/usage/";
    /** Markers of records written while Redis could not count them (outside {@link #PREFIX}: they are no records). */
    public static final String UNCOUNTED_PREFIX = "system/usage-uncounted/";
    /** How often a replica looks for markers of a month it reads: the longest it may under-count another's records. */
    public static final java.time.Duration UNCOUNTED_CHECK_EVERY = java.time.Duration.ofSeconds(5);
    /** How far the store's clock may lag a function's: records written this long before a period are still read for it. */
    static final java.time.Duration CLOCK_SKEW = java.time.Duration.ofHours(1);
    private static final Logger LOG = Logger.getLogger(UsageLedger.class.getName());
    private static final String MONTH_FIELD = "month/";
    private static final java.util.regex.Pattern RECORD_KEY = java.util.regex.Pattern.compile(
            "system/usage/[^/]+/[^/]+/(" + java.util.Arrays.stream(Unit.values()).map(Unit::id).collect(java.util.stream.Collectors.joining("|")) + ")\\.json");
    private static final String COUNT_ONCE = """
            if redis.call('SADD', KEYS[1], ARGV[1]) == 1 then
              redis.call('HINCRBY', KEYS[2], ARGV[2], ARGV[4])
              redis.call('HINCRBY', KEYS[2], ARGV[3], ARGV[4])
              return 1
            end
            return 0
            """;

    private final ObjectStore store;
    private final Redis redis;
    private final Clock clock;
    /** Tenant-months with records written while Redis could not count them; counted again before the next read. */
    private final Set<String> uncounted = ConcurrentHashMap.newKeySet();
    /** When this process last looked for markers, per tenant-month; entries past {@link #UNCOUNTED_CHECK_EVERY} are dropped. */
    private final java.util.concurrent.ConcurrentMap<String, java.time.Instant> markersCheckedAt = new ConcurrentHashMap<>();
    /** Locks for rebuilding a tenant-month, one per hash stripe: bounded however many tenants and months pass through. */
    private final Object[] rebuilding = new Object[64];

    public UsageLedger(ObjectStore store, Redis redis, Clock clock) {
        this.store = store;
        this.redis = redis;
        this.clock = clock;
        java.util.Arrays.setAll(rebuilding, i -> new Object());
    }

    /**
     * Records that a job used {@code amount} of a unit, once: a repeat for the same (tenant, job, unit) returns the
     * first record and changes nothing. The record is durable when this returns; the counters follow (or, with
     * Redis down, the next reconcile counts it).
     *
     * @throws dev.merlai.storage.StorageUnavailableException when the store is down: nothing was recorded, retry
     */
    public UsageRecord record(String tenant, String job, Unit unit, long amount) {
        StorageLayout.checkName("tenant", tenant);
        StorageLayout.checkName("job", job);
        if (amount < 0) throw new IllegalArgumentException("a usage amount cannot be negative: " + amount);
        String key = key(tenant, job, unit);
        UsageRecord record = new UsageRecord(tenant, job, unit, amount, clock.instant());
        if (!store.putIfAbsent(key, record.toJson(), "application/json")) {
            // Already recorded: the stored one counts (it may predate a crash before its counters were updated).
            record = store.get(key).map(UsageRecord::fromJson).orElse(record);
        }
        try {
            count(record);
        } catch (RedisUnavailableException e) {
            store.put(uncountedMarker(record), new byte[0], "application/octet-stream");
            uncounted.add(countedKey(tenant, YearMonth.from(record.day())));
            LOG.warning("usage " + key + " is recorded but not counted (Redis: " + e.getMessage() + "); counted before the month is read again");
        }
        return record;
    }

    /**
     * Whether a listed key is a record: a store may list its own in-flight files beside them (S3Proxy's filesystem
     * store shows the temporary file of a write under way).
     */
    static boolean isRecord(String key) {
        return RECORD_KEY.matcher(key).matches();
    }

    static String key(String tenant, String job, Unit unit) {
        return PREFIX + tenant + "/" + job + "/" + unit.id() + ".json";
    }

    /** Counts a record unless it was counted; true when it was new to the counters. */
    private boolean count(UsageRecord record) {
        YearMonth month = YearMonth.from(record.day());
        Response counted = RedisCommands.send(redis, Request.cmd(Command.EVAL).arg(COUNT_ONCE).arg(2)
                .arg(seenKey(record.tenant(), month)).arg(countersKey(record.tenant(), month))
                .arg(record.job() + "/" + record.unit().id()).arg(record.day() + "/" + record.unit().id())
                .arg(MONTH_FIELD + record.unit().id()).arg(record.amount()));
        return counted.toLong() == 1;
    }

    private static String uncountedMarker(UsageRecord record) {
        return UNCOUNTED_PREFIX + record.tenant() + "/" + YearMonth.from(record.day()) + "/" + record.job() + "/" + record.unit().id() + ".json";
    }

    /**
     * Counts the records other replicas wrote while Redis could not count them (their markers), at most every
     * {@link #UNCOUNTED_CHECK_EVERY} per tenant-month; a marker goes once its record is counted.
     */
    private void countMarked(String tenant, YearMonth month) {
        java.time.Instant now = clock.instant();
        markersCheckedAt.values().removeIf(at -> !now.isBefore(at.plus(UNCOUNTED_CHECK_EVERY)));
        if (markersCheckedAt.putIfAbsent(tenant + ":" + month, now) != null) return;
        String prefix = UNCOUNTED_PREFIX + tenant + "/" + month + "/";
        for (String marker : store.list(prefix)) {
            String record = PREFIX + tenant + "/" + marker.substring(prefix.length());
            if (!isRecord(record)) continue;
            store.get(record).map(UsageRecord::fromJson).ifPresent(this::count);
            store.delete(marker);
        }
    }

    private static String countersKey(String tenant, YearMonth month) {
        return "merlai:usage:" + tenant + ":" + month;
    }

    private static String seenKey(String tenant, YearMonth month) {
        return "merlai:usage-seen:" + tenant + ":" + month;
    }

    private static String countedKey(String tenant, YearMonth month) {
        return "merlai:usage-counted:" + tenant + ":" + month;
    }

    /**
     * Counts the tenant's records of the month unless Redis says they all were and this process has none it could not
     * count.
     */
    private void ensureCounted(String tenant, YearMonth month) {
        String counted = countedKey(tenant, month);
        if (!uncounted.contains(counted) && isSet(counted)) {
            countMarked(tenant, month);
            return;
        }
        synchronized (rebuilding[Math.floorMod(counted.hashCode(), rebuilding.length)]) {
            if (!uncounted.contains(counted) && isSet(counted)) return; // another thread just did it
            boolean hadUncounted = uncounted.remove(counted);
            List<UsageRecord> records = records(tenant, month.atDay(1), month.atEndOfMonth());
            long added = 0;
            try {
                for (UsageRecord record : records) if (count(record)) added++;
                RedisCommands.send(redis, Request.cmd(Command.SET).arg(counted).arg(1));
            } catch (RedisUnavailableException e) {
                uncounted.add(counted);
                throw e;
            }
            if (added > 0 || hadUncounted) LOG.info("usage of " + tenant + " in " + month + " rebuilt from its " + records.size() + " records: " + added + " were not counted");
        }
    }

    private boolean isSet(String key) {
        return RedisCommands.send(redis, Request.cmd(Command.EXISTS).arg(key)).toLong() == 1;
    }

    /**
     * The tenant's total of a unit in a calendar month (UTC), from the counters (rebuilt from the records first when
     * they lost data).
     *
     * @throws RedisUnavailableException when Redis is down: {@link #recordedMonthTotals} reads the records instead
     */
    public long monthTotal(String tenant, YearMonth month, Unit unit) {
        ensureCounted(tenant, month);
        Response value = RedisCommands.send(redis, Request.cmd(Command.HGET).arg(countersKey(tenant, month)).arg(MONTH_FIELD + unit.id()));
        return value == null ? 0 : value.toLong();
    }

    /** The tenant's totals per unit in a calendar month (UTC), summed from the records (the truth) written in that month. */
    public Map<Unit, Long> recordedMonthTotals(String tenant, YearMonth month) {
        Map<Unit, Long> totals = new EnumMap<>(Unit.class);
        for (UsageRecord record : records(tenant, month.atDay(1), month.atEndOfMonth())) totals.merge(record.unit(), record.amount(), Long::sum);
        return totals;
    }

    /** The tenant's totals per day and unit, {@code from} to {@code to} inclusive, by day then unit; from the counters. */
    public List<DailyUsage> daily(String tenant, LocalDate from, LocalDate to) {
        List<DailyUsage> days = new ArrayList<>();
        for (YearMonth month = YearMonth.from(from); !month.isAfter(YearMonth.from(to)); month = month.plusMonths(1)) {
            ensureCounted(tenant, month);
            hash(countersKey(tenant, month)).forEach((field, amount) -> {
                if (field.startsWith(MONTH_FIELD)) return;
                int slash = field.indexOf('/');
                LocalDate day = LocalDate.parse(field.substring(0, slash));
                if (!day.isBefore(from) && !day.isAfter(to)) days.add(new DailyUsage(day, Unit.fromId(field.substring(slash + 1)), amount));
            });
        }
        days.sort(Comparator.comparing(DailyUsage::day).thenComparing(DailyUsage::unit));
        return days;
    }

    /**
     * The tenant's records (the truth) whose day lies in {@code from..to}, oldest first. Only records the store wrote
     * since {@link #CLOCK_SKEW} before {@code from} are read: a record is written once (a conditional put) just after
     * its time is taken, so its store time is its own time give or take the clocks' skew; the record's day then decides.
     */
    public List<UsageRecord> records(String tenant, LocalDate from, LocalDate to) {
        List<UsageRecord> records = new ArrayList<>();
        java.time.Instant writtenSince = from.atStartOfDay(java.time.ZoneOffset.UTC).toInstant().minus(CLOCK_SKEW);
        for (String key : store.listModifiedSince(PREFIX + StorageLayout.checkName("tenant", tenant) + "/", writtenSince)) {
            if (!isRecord(key)) continue;
            store.get(key).map(UsageRecord::fromJson).filter(r -> !r.day().isBefore(from) && !r.day().isAfter(to)).ifPresent(records::add);
        }
        records.sort(Comparator.comparing(UsageRecord::at).thenComparing(UsageRecord::job).thenComparing(UsageRecord::unit));
        return records;
    }

    /**
     * Rebuilds the counters from the records: counts every record they missed, then overwrites any field that still
     * disagrees with the records' sum (and drops fields no record supports) for every tenant and month on record.
     */
    public ReconcileReport reconcile() {
        Map<String, Map<String, Long>> truth = new HashMap<>();
        Set<String> countedMonths = new HashSet<>();
        long records = 0;
        long counted = 0;
        for (String key : store.list(PREFIX)) {
            if (!isRecord(key)) continue;
            UsageRecord record = store.get(key).map(UsageRecord::fromJson).orElse(null);
            if (record == null) continue;
            records++;
            if (count(record)) counted++;
            countedMonths.add(countedKey(record.tenant(), YearMonth.from(record.day())));
            Map<String, Long> fields = truth.computeIfAbsent(countersKey(record.tenant(), YearMonth.from(record.day())), k -> new TreeMap<>());
            fields.merge(record.day() + "/" + record.unit().id(), record.amount(), Long::sum);
            fields.merge(MONTH_FIELD + record.unit().id(), record.amount(), Long::sum);
        }
        long corrected = 0;
        for (var entry : truth.entrySet()) corrected += correct(entry.getKey(), entry.getValue());
        for (String month : countedMonths) RedisCommands.send(redis, Request.cmd(Command.SET).arg(month).arg(1));
        long differences = 0;
        for (var entry : truth.entrySet()) differences += differences(entry.getKey(), entry.getValue());
        return new ReconcileReport(records, counted, corrected, differences);
    }

    private long correct(String countersKey, Map<String, Long> expected) {
        long fixed = 0;
        Map<String, Long> actual = hash(countersKey);
        for (var field : expected.entrySet()) {
            if (!field.getValue().equals(actual.get(field.getKey()))) {
                RedisCommands.send(redis, Request.cmd(Command.HSET).arg(countersKey).arg(field.getKey()).arg(field.getValue()));
                fixed++;
            }
        }
        for (String field : actual.keySet()) {
            if (!expected.containsKey(field)) {
                RedisCommands.send(redis, Request.cmd(Command.HDEL).arg(countersKey).arg(field));
                fixed++;
            }
        }
        return fixed;
    }

    private long differences(String countersKey, Map<String, Long> expected) {
        Map<String, Long> actual = hash(countersKey);
        long differ = 0;
        for (var field : expected.entrySet()) if (!field.getValue().equals(actual.get(field.getKey()))) differ++;
        for (String field : actual.keySet()) if (!expected.containsKey(field)) differ++;
        return differ;
    }

    private Map<String, Long> hash(String key) {
        Response all = RedisCommands.send(redis, Request.cmd(Command.HGETALL).arg(key));
        Map<String, Long> fields = new TreeMap<>();
        if (all == null) return fields;
        if (!all.getKeys().isEmpty()) {
            for (String field : all.getKeys()) fields.put(field, all.get(field).toLong()); // RESP3: a map
        } else {
            for (int i = 0; i + 1 < all.size(); i += 2) fields.put(all.get(i).toString(), all.get(i + 1).toLong()); // RESP2: pairs
        }
        return fields;
    }
}
