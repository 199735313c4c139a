package dev.merlai.functions.recommend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.merlai.platform.http.InvalidRequestException;
import dev.merlai.platform.http.RequestNames;
import dev.merlai.platform.http.RequestBodies;
import dev.merlai.platform.tenancy.AdminGuard;
import dev.merlai.platform.tenancy.ApiKeyGuard;
import dev.merlai.plugins.Catalog;
import dev.merlai.plugins.CatalogSchema;
import dev.merlai.plugins.CatalogStore;
import dev.merlai.plugins.Feedback;
import dev.merlai.plugins.InvalidEntryException;
import dev.merlai.plugins.PluginEntry;
import dev.merlai.plugins.PluginsDocument;
import dev.merlai.plugins.Preferences;
import dev.merlai.storage.JobStore;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * The plugin API over plain HTTP (documented in {@code META-INF/openapi.yaml}, served at {@code /q/openapi}). The
 * {@code /v1} routes act for the tenant of the caller's API key ({@link ApiKeyGuard}); the {@code /admin} routes need
 * the operator's credential ({@link AdminGuard}):
 * <ul>
 *   <li>{@code GET /v1/plugins[?tag=&format=&os=&licence=&kind=]} lists and searches the catalog;
 *       {@code GET /v1/plugins/{id}} one entry;</li>
 *   <li>{@code POST /admin/plugins}, {@code PUT /admin/plugins/{id}}, {@code DELETE /admin/plugins/{id}}: each
 *       makes the next catalog version;</li>
 *   <li>{@code GET|PUT /v1/plugin-preferences}: the tenant's formats, operating systems, free only;</li>
 *   <li>{@code POST /v1/plugin-feedback}: accepted, rejected or replaced, for one track of one of the tenant's jobs.</li>
 * </ul>
 */
@ApplicationScoped
public class PluginRoutes {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    static final long MAX_BODY = 64 * 1024;

    @Inject
    CatalogStore catalog;

    @Inject
    TenantTaste taste;

    @Inject
    JobStore jobs;

    void install(@Observes Router router) {
        BodyHandler body = BodyHandler.create().setBodyLimit(MAX_BODY);
        router.get("/v1/plugins").blockingHandler(this::list, false);
        router.get("/v1/plugins/:id").blockingHandler(this::one, false);
        router.post("/admin/plugins").handler(body).blockingHandler(this::add, false);
        router.put("/admin/plugins/:id").handler(body).blockingHandler(this::update, false);
        router.delete("/admin/plugins/:id").blockingHandler(this::remove, false);
        router.get("/v1/plugin-preferences").blockingHandler(this::preferences, false);
        router.put("/v1/plugin-preferences").handler(body).blockingHandler(this::savePreferences, false);
        router.post("/v1/plugin-feedback").handler(body).blockingHandler(this::feedback, false);
    }

    private void list(RoutingContext context) {
        handle(context, () -> {
            var q = context.queryParams();
            Catalog current = catalog.current();
            List<PluginEntry> found = current.search(q.get("tag"), q.get("format"), q.get("os"), q.get("licence"), q.get("kind"));
            ObjectNode body = MAPPER.createObjectNode().put("version", current.version()).put("count", found.size());
            found.forEach(e -> body.withArray("entries").add(MAPPER.valueToTree(e)));
            json(context, 200, body);
        });
    }

    private void one(RoutingContext context) {
        handle(context, () -> {
            Catalog current = catalog.current();
            PluginEntry entry = current.find(context.pathParam("id")).orElse(null);
            if (entry == null) {
                noSuchEntry(context);
                return;
            }
            json(context, 200, MAPPER.createObjectNode().put("version", current.version()).set("entry", MAPPER.valueToTree(entry)));
        });
    }

    // Each change is checked against the newest catalog it is applied to (another replica may have changed it a
    // moment before): an entry already there, or gone, by then is the change's IllegalArgumentException.
    private void add(RoutingContext context) {
        handle(context, () -> {
            PluginEntry entry = entry(context);
            Catalog next;
            try {
                next = catalog.change(c -> c.with(entry));
            } catch (IllegalArgumentException e) {
                problem(context, 409, "plugin-exists", "Entry exists", "the catalog already has '" + entry.id() + "'; PUT /admin/plugins/" + entry.id() + " changes it");
                return;
            }
            changed(context, 201, next, entry);
        });
    }

    private void update(RoutingContext context) {
        handle(context, () -> {
            String id = context.pathParam("id");
            JsonNode body = body(context);
            if (body.isObject() && !body.has("id")) ((ObjectNode) body).put("id", id);
            PluginEntry entry = entry(body);
            if (!entry.id().equals(id)) throw new InvalidRequestException("id", "the body's id '" + entry.id() + "' is not the path's '" + id + "'");
            Catalog next;
            try {
                next = catalog.change(c -> c.replacing(entry));
            } catch (IllegalArgumentException e) {
                noSuchEntry(context);
                return;
            }
            changed(context, 200, next, entry);
        });
    }

    private void remove(RoutingContext context) {
        handle(context, () -> {
            String id = context.pathParam("id");
            if (catalog.current().find(id).filter(PluginEntry::isFallback).isPresent()) {
                problem(context, 409, "fallback-kept", "General MIDI fallbacks stay", "'" + id + "' is a General MIDI fallback: previews need all 128");
                return;
            }
            Catalog next;
            try {
                next = catalog.change(c -> c.without(id));
            } catch (IllegalArgumentException e) {
                noSuchEntry(context);
                return;
            }
            json(context, 200, MAPPER.createObjectNode().put("version", next.version()).put("removed", id));
        });
    }

    private void preferences(RoutingContext context) {
        handle(context, () -> json(context, 200, MAPPER.readTree(taste.preferences(ApiKeyGuard.ownTenantId(context)).toJson())));
    }

    private void savePreferences(RoutingContext context) {
        handle(context, () -> {
            String tenant = ApiKeyGuard.ownTenantId(context);
            Preferences preferences;
            try {
                preferences = Preferences.fromJson(body(context));
            } catch (InvalidEntryException e) {
                throw new InvalidRequestException(e.field(), e.getMessage());
            }
            taste.savePreferences(tenant, preferences);
            json(context, 200, MAPPER.readTree(preferences.toJson()));
        });
    }

    /** {@code {"job": J, "track": N, "verdict": "accepted|rejected|replaced", "entry": ID, "replacement": ID}}. */
    private void feedback(RoutingContext context) {
        handle(context, () -> {
            String tenant = ApiKeyGuard.ownTenantId(context);
            JsonNode body = body(context);
            String job = RequestNames.checked("job", text(body, "job"));
            if (!body.path("track").canConvertToInt()) throw new InvalidRequestException("track", "track is the index of the track in plugins.json");
            int track = body.get("track").asInt();
            Feedback.Verdict verdict;
            try {
                verdict = Feedback.Verdict.fromId(text(body, "verdict"));
            } catch (InvalidEntryException e) {
                throw new InvalidRequestException(e.field(), e.getMessage());
            }
            String entry = text(body, "entry");
            byte[] suggestions = jobs.result(tenant, job, PluginsDocument.FILE)
                    .orElseThrow(() -> new InvalidRequestException("job", "job " + job + " of tenant " + tenant + " has no plugin suggestions"));
            PluginsDocument.Offered offered = PluginsDocument.offered(suggestions, track)
                    .orElseThrow(() -> new InvalidRequestException("track", "job " + job + " has no track " + track));
            if (!offered.ids().contains(entry)) throw new InvalidRequestException("entry", "'" + entry + "' was not suggested for track " + track + "; it was offered " + offered.ids());
            String replacement = null;
            if (verdict == Feedback.Verdict.REPLACED) {
                replacement = text(body, "replacement");
                if (catalog.current().find(replacement).filter(PluginEntry::playsNotes).isEmpty()) {
                    throw new InvalidRequestException("replacement", "'" + replacement + "' is no instrument in the catalog");
                }
            }
            Feedback feedback = new Feedback(tenant, job, track, offered.role(), verdict, entry, replacement, Instant.now());
            taste.record(feedback);
            json(context, 201, MAPPER.readTree(feedback.toJson()));
        });
    }

    private static JsonNode body(RoutingContext context) throws InvalidRequestException {
        JsonNode node = RequestBodies.json(context);
        if (node == null || !node.isObject()) throw new InvalidRequestException("", "the body must be a JSON object");
        return node;
    }

    private static PluginEntry entry(RoutingContext context) throws InvalidRequestException {
        return entry(body(context));
    }

    private static PluginEntry entry(JsonNode body) throws InvalidRequestException {
        try {
            return CatalogSchema.entry(body);
        } catch (InvalidEntryException e) {
            throw new InvalidRequestException(e.field(), e.getMessage());
        }
    }

    private static String text(JsonNode body, String field) throws InvalidRequestException {
        JsonNode value = body.path(field);
        if (!value.isTextual() || value.asText().isBlank()) throw new InvalidRequestException(field, "'" + field + "' is required (a string)");
        return value.asText();
    }

    private static void changed(RoutingContext context, int status, Catalog next, PluginEntry entry) {
        json(context, status, MAPPER.createObjectNode().put("version", next.version()).set("entry", MAPPER.valueToTree(entry)));
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void handle(RoutingContext context, Step step) {
        try {
            step.run();
        } catch (Exception e) {
            context.fail(e);
        }
    }

    private static void noSuchEntry(RoutingContext context) {
        problem(context, 404, "no-such-plugin", "No such catalog entry", "the catalog has no '" + context.pathParam("id") + "'");
    }

    private static void problem(RoutingContext context, int status, String type, String title, String detail) {
        context.response().setStatusCode(status).putHeader("Content-Type", "application/problem+json")
                .end(new JsonObject().put("type", "https://merlai.dev/problems/" + type).put("title", title).put("status", status).put("detail", detail).encode());
    }

    private static void json(RoutingContext context, int status, JsonNode body) {
        try {
            context.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(MAPPER.writeValueAsString(body));
        } catch (IOException e) {
            context.fail(e);
        }
    }
}
