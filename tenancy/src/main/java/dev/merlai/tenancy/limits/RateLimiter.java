package dev.merlai.tenancy.limits;

import dev.merlai.tenancy.Plan;
import dev.merlai.tenancy.RedisCommands;
import dev.merlai.tenancy.RedisUnavailableException;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.time.InstantSource;
import java.util.logging.Logger;

/**
 * A token bucket per tenant in Redis, shared by every replica of every function: one script reads the bucket,
 * refills it by the time passed on Redis' own clock (so replicas' clocks do not matter), takes a token or says how
 * long until there is one, and writes it back; Redis runs the script atomically. Times are kept as whole
 * microseconds ({@code %.0f}: Lua's {@code tostring} keeps 14 digits, which rounds them to 100 µs and lets a busy
 * bucket refill faster than its rate).
 *
 * <p>While Redis is down each process keeps its own buckets ({@link LocalTokenBuckets}, on the clock given here): the
 * limit loosens to the plan's rate per replica, never to none.
 */
public final class RateLimiter {

    private static final String TAKE = """
            local rate = tonumber(ARGV[1])
            local burst = tonumber(ARGV[2])
            local time = redis.call('TIME')
            local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
            local bucket = redis.call('HMGET', KEYS[1], 'tokens', 'at')
            local tokens = tonumber(bucket[1]) or burst
            local at = tonumber(bucket[2]) or now
            tokens = math.min(burst, tokens + math.max(0, now - at) * rate / 1000000)
            local wait = 0
            if tokens >= 1 then
              tokens = tokens - 1
            else
              wait = math.ceil((1 - tokens) * 1000 / rate)
            end
            redis.call('HSET', KEYS[1], 'tokens', string.format('%.9f', tokens), 'at', string.format('%.0f', now))
            redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000)
            return wait
            """;

    private static final Logger LOG = Logger.getLogger(RateLimiter.class.getName());

    private final Redis redis;
    private final LocalTokenBuckets whileRedisIsDown;

    /** @param clock the clock of the in-process buckets used while Redis is down (Redis keeps its own time) */
    public RateLimiter(Redis redis, InstantSource clock) {
        this.redis = redis;
        this.whileRedisIsDown = new LocalTokenBuckets(clock);
    }

    /**
     * Takes one request's token from the tenant's bucket.
     *
     * @return 0 when the request may go on, else the milliseconds until a token is there (no token was taken)
     */
    public long take(String tenant, Plan plan) {
        try {
            Response wait = RedisCommands.send(redis, Request.cmd(Command.EVAL).arg(TAKE).arg(1).arg("merlai:rate:" + tenant)
                    .arg(Double.toString(plan.requestsPerSecond())).arg(plan.burst()));
            return wait.toLong();
        } catch (RedisUnavailableException e) {
            LOG.fine(() -> "rate limit of " + tenant + " kept in this process, Redis is down: " + e.getMessage());
            return whileRedisIsDown.take(tenant, plan);
        }
    }
}
