package dev.merlai.platform.health;

import dev.merlai.tenancy.RedisCommands;
import dev.merlai.tenancy.RedisUnavailableException;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Says whether Redis answers. It stays UP while Redis is down, with {@code degraded: true}: keys are then checked
 * against the object store, quotas against the usage records there, rate limits per replica, so the replica keeps
 * taking traffic. One PING, its answer kept 3 s.
 */
@Readiness
@ApplicationScoped
public class RedisHealth implements HealthCheck {

    private final CachedProbe probe;

    @Inject
    public RedisHealth(Redis redis) {
        this.probe = new CachedProbe(() -> RedisCommands.send(redis, Request.cmd(Command.PING)), RedisUnavailableException.class, Duration.ofSeconds(3), Clock.systemUTC());
    }

    @Override
    public HealthCheckResponse call() {
        Optional<String> failure = probe.failure();
        return HealthCheckResponse.named("redis").up().withData("degraded", failure.isPresent()).withData("error", failure.orElse("none")).build();
    }
}
