package dev.merlai.tenancy;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Redis that cannot be reached: the first call fails, the next ones fail at once without trying again for a while. */
class RedisCommandsTest {

    @Test
    void afterAFailureTheClientIsNotTriedAgainForAWhile() {
        Vertx vertx = Vertx.vertx();
        Redis nowhere = Redis.createClient(vertx, "redis://127.0.0.1:9"); // nothing listens on the discard port
        try {
            RedisUnavailableException first = assertThrows(RedisUnavailableException.class, () -> RedisCommands.send(nowhere, Request.cmd(Command.PING)));
            assertTrue(first.getMessage().startsWith("Redis failed") || first.getMessage().contains("did not answer"), first.getMessage());
            RedisUnavailableException next = assertThrows(RedisUnavailableException.class, () -> RedisCommands.send(nowhere, Request.cmd(Command.PING)));
            assertTrue(next.getMessage().contains("not tried again yet"), next.getMessage());
        } finally {
            nowhere.close();
            vertx.close();
        }
    }
}
