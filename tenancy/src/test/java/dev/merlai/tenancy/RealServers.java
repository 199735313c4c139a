package dev.merlai.tenancy;

import dev.merlai.embedded.RedisServer;
import dev.merlai.embedded.S3ProxyServer;
import dev.merlai.storage.ObjectStore;
import dev.merlai.storage.S3Settings;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A real S3 server and a real Redis, each its own process on a free loopback port, for one test class. */
public final class RealServers implements AutoCloseable {

    public static final Plans PLANS = Plans.fromSettings(Map.of(
            "merlai.plans.default", "free",
            "merlai.plans.free.rate-per-second", "5",
            "merlai.plans.free.burst", "10",
            "merlai.plans.free.quota.bars", "100",
            "merlai.plans.free.included.bars", "50",
            "merlai.plans.free.price.bars", "0.01",
            "merlai.plans.pro.rate-per-second", "50",
            "merlai.plans.pro.burst", "100"));

    private final S3ProxyServer s3;
    private RedisServer redisServer;
    private final ObjectStore store;
    private final Vertx vertx = Vertx.vertx();
    private final List<Redis> clients = new ArrayList<>();

    public RealServers(Path data) throws IOException {
        s3 = S3ProxyServer.start(data, "127.0.0.1", 0, "merlai", "merlai-secret");
        redisServer = RedisServer.start("127.0.0.1", 0);
        store = new ObjectStore(new S3Settings(s3.endpoint(), "us-east-1", "merlai", "merlai-secret", "merlai"));
        store.ensureBucket();
    }

    public ObjectStore store() {
        return store;
    }

    /** A new client (connection pool) of the Redis: two of them stand for two replicas. */
    public Redis newRedisClient() {
        Redis client = Redis.createClient(vertx, redisServer.urlWithPassword());
        clients.add(client);
        return client;
    }

    public RedisServer redisServer() {
        return redisServer;
    }

    /** Stops Redis; {@link #startRedisEmpty()} starts it again with nothing in it, on the same port with the same password. */
    public void stopRedis() {
        redisServer.close();
    }

    public void startRedisEmpty() throws IOException {
        redisServer = RedisServer.start("127.0.0.1", redisServer.port(), null, redisServer.password());
    }

    /** The S3 server: a test may freeze (SIGSTOP) or stop it. */
    public S3ProxyServer s3Server() {
        return s3;
    }

    @Override
    public void close() {
        clients.forEach(Redis::close);
        vertx.close();
        store.close();
        redisServer.close();
        s3.close();
    }
}
