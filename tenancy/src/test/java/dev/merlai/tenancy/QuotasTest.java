package dev.merlai.tenancy;

import dev.merlai.tenancy.limits.QuotaExceededException;
import dev.merlai.tenancy.limits.Quotas;
import dev.merlai.tenancy.usage.Unit;
import dev.merlai.tenancy.usage.UsageLedger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Quotas do not fail open: a free tenant that spent its month is refused while Redis is down (the records in S3
 * decide), and after Redis came back empty (its month is rebuilt from the records before the check). Real S3 server,
 * real Redis, stopped and started again.
 */
class QuotasTest {

    private static final Instant NOV_3 = Instant.parse("2026-11-03T10:00:00Z");
    private static final YearMonth NOVEMBER = YearMonth.of(2026, 11);
    private static final Plan FREE = RealServers.PLANS.find("free").orElseThrow(); // 100 bars a month

    @TempDir
    Path data;
    private RealServers servers;
    private final MovableClock clock = new MovableClock(NOV_3);

    @BeforeEach
    void start() throws Exception {
        servers = new RealServers(data);
    }

    @AfterEach
    void stop() {
        servers.close();
    }

    /** A ledger and quotas as one function has them, on a new Redis client (a function started now). */
    private record Function(UsageLedger ledger, Quotas quotas) {
    }

    private Function function() {
        UsageLedger ledger = new UsageLedger(servers.store(), servers.newRedisClient(), clock);
        return new Function(ledger, new Quotas(ledger, clock));
    }

    private static void spend(UsageLedger ledger, String tenant, int jobs) {
        for (int job = 0; job < jobs; job++) ledger.record(tenant, "job-" + job, Unit.BARS, 25);
    }

    @Test
    void aSpentQuotaIsRefusedWhileRedisIsDown() {
        Function function = function();
        spend(function.ledger(), "spent", 4); // 100 of 100 bars
        function.quotas().check("fresh", FREE, Unit.BARS);
        servers.stopRedis();

        QuotaExceededException refused = assertThrows(QuotaExceededException.class, () -> function.quotas().check("spent", FREE, Unit.BARS));
        assertEquals(100, refused.used(), "summed from the usage records in S3");
        function.quotas().check("fresh", FREE, Unit.BARS); // a tenant with quota left is still served

        // what is done while Redis is down counts too, once the sum is read again
        function.ledger().record("fresh", "while-down-1", Unit.BARS, 60);
        function.ledger().record("fresh", "while-down-2", Unit.BARS, 40);
        clock.advanceSeconds(Quotas.RECORDED_TOTALS_FOR.toSeconds());
        assertEquals(100, assertThrows(QuotaExceededException.class, () -> function.quotas().check("fresh", FREE, Unit.BARS)).used());
    }

    @Test
    void aSpentQuotaIsRefusedAfterRedisRestartedEmpty() throws Exception {
        spend(function().ledger(), "spent", 4);
        servers.stopRedis();
        servers.startRedisEmpty();

        Function restarted = function();
        QuotaExceededException refused = assertThrows(QuotaExceededException.class, () -> restarted.quotas().check("spent", FREE, Unit.BARS));
        assertEquals(100, refused.used(), "the month was rebuilt from the records before the check");
        assertEquals(100, restarted.ledger().monthTotal("spent", NOVEMBER, Unit.BARS));
        restarted.ledger().record("spent", "one-more", Unit.BARS, 5); // the job that crossed the quota finishing late
        assertEquals(105, restarted.ledger().monthTotal("spent", NOVEMBER, Unit.BARS), "rebuilt once: new records add to it, nothing twice");
    }

    @Test
    void whatWasRecordedWhileRedisDidNotAnswerIsCountedOnceItAnswersAgain() throws Exception {
        Function function = function();
        spend(function.ledger(), "steady", 2);
        assertEquals(50, function.ledger().monthTotal("steady", NOVEMBER, Unit.BARS)); // the month is counted in Redis
        signalRedis("STOP"); // frozen, its data kept
        try {
            function.ledger().record("steady", "while-frozen", Unit.BARS, 50); // recorded in S3, not counted
        } finally {
            signalRedis("CONT");
        }
        Thread.sleep(RedisCommands.PAUSE_MILLIS); // the client tries Redis again only after its pause
        assertEquals(100, function.ledger().monthTotal("steady", NOVEMBER, Unit.BARS));
        assertThrows(QuotaExceededException.class, () -> function.quotas().check("steady", FREE, Unit.BARS));
    }

    @Test
    void whatOneReplicaRecordedWhileRedisDidNotAnswerIsCountedByAnotherThatNeverSawTheOutage() throws Exception {
        Function recorder = function();
        Function other = function();
        spend(recorder.ledger(), "shared", 2);
        assertEquals(50, other.ledger().monthTotal("shared", NOVEMBER, Unit.BARS)); // the other replica trusts the counters from now on
        signalRedis("STOP");
        try {
            recorder.ledger().record("shared", "while-frozen", Unit.BARS, 50); // recorded in S3, not counted
        } finally {
            signalRedis("CONT");
        }
        clock.advanceSeconds(UsageLedger.UNCOUNTED_CHECK_EVERY.toSeconds());

        assertEquals(100, other.ledger().monthTotal("shared", NOVEMBER, Unit.BARS), "the other replica counted the record it did not write");
        assertThrows(QuotaExceededException.class, () -> other.quotas().check("shared", FREE, Unit.BARS));
        assertEquals(List.of(), servers.store().list(UsageLedger.UNCOUNTED_PREFIX), "the marker went once its record was counted");
        Thread.sleep(RedisCommands.PAUSE_MILLIS); // the recorder's client tries Redis again only after its pause
        assertEquals(100, recorder.ledger().monthTotal("shared", NOVEMBER, Unit.BARS), "counted once, whoever counted it");
    }

    private void signalRedis(String signal) throws Exception {
        new ProcessBuilder("kill", "-" + signal, Long.toString(servers.redisServer().process().pid())).inheritIO().start().waitFor();
    }
}
