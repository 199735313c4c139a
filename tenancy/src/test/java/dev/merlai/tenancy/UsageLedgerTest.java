package dev.merlai.tenancy;

import dev.merlai.tenancy.limits.QuotaExceededException;
import dev.merlai.tenancy.limits.Quotas;
import dev.merlai.tenancy.usage.DailyUsage;
import dev.merlai.tenancy.usage.Invoice;
import dev.merlai.tenancy.usage.ReconcileReport;
import dev.merlai.tenancy.usage.Unit;
import dev.merlai.tenancy.usage.UsageLedger;
import dev.merlai.tenancy.usage.UsageRecord;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The usage ledger against a real S3 server (the truth) and a real Redis (the counters). */
class UsageLedgerTest {

    private static final Instant NOV_3 = Instant.parse("2026-11-03T10:00:00Z");
    private static final Instant NOV_4 = Instant.parse("2026-11-04T23:59:00Z");

    @TempDir
    static Path data;
    private static RealServers servers;
    private static Redis redis;

    @BeforeAll
    static void start() throws Exception {
        servers = new RealServers(data);
        redis = servers.newRedisClient();
    }

    @AfterAll
    static void stop() {
        servers.close();
    }

    private static UsageLedger ledgerAt(Instant now) {
        return new UsageLedger(servers.store(), redis, Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void theRecordedTotalsOfAMonthReadOnlyRecordsWrittenInIt() throws Exception {
        ledgerAt(Instant.parse("2026-10-20T10:00:00Z")).record("longtime", "october", Unit.BARS, 40);
        // S3Proxy's filesystem store keeps an object's LastModified as its file's time: the October record becomes one
        // written in October, and unreadable, so reading it would fail the sum.
        Path october = data.resolve(servers.store().bucket()).resolve(UsageLedger.PREFIX + "longtime/october/bars.json");
        Files.writeString(october, "not a usage record");
        Files.setLastModifiedTime(october, FileTime.from(Instant.parse("2026-10-20T10:00:01Z")));
        ledgerAt(NOV_3).record("longtime", "november", Unit.BARS, 16);
        assertEquals(Map.of(Unit.BARS, 16L), ledgerAt(NOV_3).recordedMonthTotals("longtime", YearMonth.of(2026, 11)));
    }

    @Test
    void theSameJobDeliveredThreeTimesIsBilledOnce() throws Exception {
        UsageLedger ledger = ledgerAt(NOV_3);
        UsageRecord first = ledger.record("thrice", "j1", Unit.BARS, 16);
        // a redelivery the next day (with a different count) still finds the first record
        assertEquals(first, ledgerAt(NOV_4).record("thrice", "j1", Unit.BARS, 17));
        // and two more at the same moment, from two "replicas"
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Callable<UsageRecord>> redeliveries = List.of(() -> ledger.record("thrice", "j1", Unit.BARS, 16), () -> ledger.record("thrice", "j1", Unit.BARS, 16));
        for (var answer : pool.invokeAll(redeliveries)) assertEquals(first, answer.get());
        pool.shutdown();
        assertEquals(1, servers.store().list(UsageLedger.PREFIX + "thrice/").size());
        assertEquals(16, ledger.monthTotal("thrice", YearMonth.of(2026, 11), Unit.BARS));
        assertEquals(List.of(new DailyUsage(LocalDate.of(2026, 11, 3), Unit.BARS, 16)),
                ledger.daily("thrice", LocalDate.of(2026, 11, 1), LocalDate.of(2026, 11, 30)));
        // another unit of the same job is its own record
        ledger.record("thrice", "j1", Unit.AUDIO_SECONDS, 31);
        assertEquals(31, ledger.monthTotal("thrice", YearMonth.of(2026, 11), Unit.AUDIO_SECONDS));
    }

    @Test
    void totalsAreGivenPerDayAndUnitWithinTheAskedDays() {
        ledgerAt(NOV_3).record("daily", "a", Unit.BARS, 8);
        ledgerAt(NOV_3).record("daily", "b", Unit.BARS, 4);
        ledgerAt(NOV_4).record("daily", "c", Unit.BARS, 2);
        ledgerAt(NOV_4).record("daily", "c", Unit.TRAINING_MINUTES, 3);
        assertEquals(List.of(new DailyUsage(LocalDate.of(2026, 11, 3), Unit.BARS, 12), new DailyUsage(LocalDate.of(2026, 11, 4), Unit.BARS, 2),
                        new DailyUsage(LocalDate.of(2026, 11, 4), Unit.TRAINING_MINUTES, 3)),
                ledgerAt(NOV_4).daily("daily", LocalDate.of(2026, 11, 1), LocalDate.of(2026, 11, 4)));
        assertEquals(List.of(new DailyUsage(LocalDate.of(2026, 11, 3), Unit.BARS, 12)),
                ledgerAt(NOV_4).daily("daily", LocalDate.of(2026, 11, 3), LocalDate.of(2026, 11, 3)));
        assertEquals(2, ledgerAt(NOV_4).records("daily", LocalDate.of(2026, 11, 4), LocalDate.of(2026, 11, 4)).size());
    }

    @Test
    void redisFlushedMidRunThenReconcileYieldsTheSameTotals() {
        UsageLedger ledger = ledgerAt(NOV_3);
        long expected = 0;
        for (int job = 0; job < 20; job++) {
            ledger.record("flushed", "before-" + job, Unit.BARS, job + 1);
            expected += job + 1;
        }
        RedisCommands.send(redis, Request.cmd(Command.FLUSHALL));
        for (int job = 0; job < 10; job++) {
            ledger.record("flushed", "after-" + job, Unit.BARS, 100);
            expected += 100;
        }
        ledger.record("flushed", "before-3", Unit.BARS, 4); // a redelivery after the flush: still one record
        assertEquals(10 * 100 + 4, RedisCommands.send(redis, Request.cmd(Command.HGET).arg("merlai:usage:flushed:2026-11").arg("month/bars")).toLong(),
                "the flush lost counts: only what came after it (the redelivery included) is in the counter");

        assertEquals(expected, ledger.monthTotal("flushed", YearMonth.of(2026, 11), Unit.BARS), "the month is rebuilt from its records before it is read");
        ReconcileReport report = ledger.reconcile();
        assertEquals(0, report.counted() + report.differences(), "the rebuild left reconcile nothing to do: " + report);
        assertEquals(List.of(new DailyUsage(LocalDate.of(2026, 11, 3), Unit.BARS, expected)),
                ledger.daily("flushed", LocalDate.of(2026, 11, 1), LocalDate.of(2026, 11, 30)));
        assertEquals(expected, ledger.records("flushed", LocalDate.of(2026, 11, 1), LocalDate.of(2026, 11, 30)).stream().mapToLong(UsageRecord::amount).sum());

        ReconcileReport again = ledger.reconcile();
        assertEquals(0, again.counted() + again.corrected() + again.differences(), "a second reconcile finds nothing to do: " + again);
    }

    @Test
    void filesThatAreNoRecordsAreNotBilled() {
        UsageLedger ledger = ledgerAt(NOV_3);
        ledger.record("strays", "j", Unit.BARS, 10);
        servers.store().put(UsageLedger.PREFIX + "strays/j/bars.json-in-flight", "{\"tenant\": ".getBytes(), "application/json");
        assertEquals(0, ledger.reconcile().differences());
        assertEquals(1, ledger.records("strays", LocalDate.of(2026, 11, 1), LocalDate.of(2026, 11, 30)).size());
        assertEquals(10, ledger.monthTotal("strays", YearMonth.of(2026, 11), Unit.BARS));
    }

    @Test
    void aTamperedCounterIsOverwrittenWithTheTruth() {
        UsageLedger ledger = ledgerAt(NOV_3);
        ledger.record("tampered", "j", Unit.BARS, 10);
        RedisCommands.send(redis, Request.cmd(Command.HINCRBY).arg("merlai:usage:tampered:2026-11").arg("month/bars").arg(5));
        ReconcileReport report = ledger.reconcile();
        assertEquals(0, report.differences());
        assertEquals(10, ledger.monthTotal("tampered", YearMonth.of(2026, 11), Unit.BARS));
    }

    @Test
    void aSpentQuotaRefusesTheNextJobAndTheInvoiceBillsBeyondTheFreeUnits() {
        UsageLedger ledger = ledgerAt(NOV_3);
        Quotas quotas = new Quotas(ledger, Clock.fixed(NOV_3, ZoneOffset.UTC));
        Plan free = RealServers.PLANS.find("free").orElseThrow();
        for (int job = 0; job < 6; job++) {
            quotas.check("quota", free, Unit.BARS);
            ledger.record("quota", "q" + job, Unit.BARS, 16);
        }
        quotas.check("quota", free, Unit.BARS); // 96 of 100 used: one more job may start
        ledger.record("quota", "q6", Unit.BARS, 16);
        QuotaExceededException refused = assertThrows(QuotaExceededException.class, () -> quotas.check("quota", free, Unit.BARS));
        assertEquals(112, refused.used());
        assertEquals(Instant.parse("2026-12-01T00:00:00Z"), refused.resetsAt());
        quotas.check("quota", free, Unit.AUDIO_SECONDS); // no quota on that unit in this plan

        Invoice invoice = Invoice.preview("quota", free, YearMonth.of(2026, 11), Map.of(Unit.BARS, 112L));
        assertEquals(62, invoice.lines().get(0).billable());
        assertEquals(new BigDecimal("0.62"), invoice.total());
    }

    @Test
    void negativeAmountsAndBadIdsAreRefused() {
        UsageLedger ledger = ledgerAt(NOV_3);
        assertThrows(IllegalArgumentException.class, () -> ledger.record("t", "j", Unit.BARS, -1));
        assertThrows(IllegalArgumentException.class, () -> ledger.record("../t", "j", Unit.BARS, 1));
        assertThrows(IllegalArgumentException.class, () -> ledger.record("t", "j/../k", Unit.BARS, 1));
        assertEquals(new ArrayList<>(), servers.store().list(UsageLedger.PREFIX + "t/"));
    }
}
