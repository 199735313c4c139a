package dev.merlai.platform.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Brings the meters that libraries register (Vert.x, Netty, the Redis client, the JVM binders) within Prometheus's
 * naming rules, so that {@code promtool check metrics} passes on every function's {@code /q/metrics}: label names in
 * snake_case ({@code clientName} becomes {@code client_name}); a HELP line where the library gives none (the meter's
 * name in words); {@code system.cpu.count} as {@code system.cpu.cores} (only histograms and summaries may end in
 * {@code _count}); no {@code process.cpu.time} in nanoseconds ({@code process_cpu_usage} stays); and no long-task
 * timers ({@code http.server.connections}, {@code redis.connections}), which the exporter writes as samples of no
 * family, without HELP ({@code http_server_active_requests} and {@code redis_active_connections} stay). Quarkus
 * applies every {@link MeterFilter} bean to its registries.
 */
public class PrometheusConventions {

    @Produces
    @ApplicationScoped
    MeterFilter prometheusConventions() {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                return conventional(id);
            }
        };
    }

    @Produces
    @ApplicationScoped
    MeterFilter noCpuTimeInNanosecondsNorLongTaskTimers() {
        return MeterFilter.deny(id -> id.getName().equals("process.cpu.time") || id.getType() == Meter.Type.LONG_TASK_TIMER);
    }

    static Meter.Id conventional(Meter.Id id) {
        String name = id.getName().equals("system.cpu.count") ? "system.cpu.cores" : id.getName();
        List<Tag> tags = new ArrayList<>();
        for (Tag tag : id.getTagsAsIterable()) tags.add(Tag.of(snakeCase(tag.getKey()), tag.getValue()));
        String description = id.getDescription() == null || id.getDescription().isBlank() ? name.replace('.', ' ') : id.getDescription();
        return new Meter.Id(name, Tags.of(tags), id.getBaseUnit(), description, id.getType());
    }

    /** {@code clientName} as {@code client_name}; a key already in snake_case stays as it is. */
    static String snakeCase(String key) {
        return key.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
}
