package dev.merlai.functions.account;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.merlai.events.CloudEvent;
import dev.merlai.events.EventTypes;
import dev.merlai.platform.http.InvalidRequestException;
import dev.merlai.platform.http.RequestBodies;
import dev.merlai.platform.http.ProblemResponses;
import dev.merlai.platform.tenancy.ApiKeyGuard;
import dev.merlai.tenancy.Plans;
import dev.merlai.tenancy.Tenant;
import dev.merlai.tenancy.TenantRegistry;
import dev.merlai.tenancy.usage.DailyUsage;
import dev.merlai.tenancy.usage.Invoice;
import dev.merlai.tenancy.usage.ReconcileReport;
import dev.merlai.tenancy.usage.Unit;
import dev.merlai.tenancy.usage.UsageLedger;
import dev.merlai.tenancy.usage.UsageRecord;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.io.IOException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The account side of the API. For the caller's tenant: {@code GET /v1/usage?from=&to=} (totals per unit per day,
 * JSON or {@code format=csv}), {@code GET /v1/usage/events} (each billable record as a CloudEvent, the batch format
 * OpenMeter ingests) and {@code GET /v1/invoice?period=YYYY-MM}. For the operator, behind the admin credential:
 * {@code /admin/tenants} (create, revoke, list) and {@code POST /admin/usage/reconcile}.
 */
@ApplicationScoped
public class AccountRoutes {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final long MAX_DAYS = 366;

    @Inject
    UsageLedger usage;

    @Inject
    TenantRegistry registry;

    @Inject
    Plans plans;

    void install(@Observes Router router) {
        router.get("/v1/usage").blockingHandler(this::usage, false);
        router.get("/v1/usage/events").blockingHandler(this::usageEvents, false);
        router.get("/v1/invoice").blockingHandler(this::invoice, false);
        router.get("/admin/tenants").blockingHandler(this::listTenants, false);
        router.post("/admin/tenants").handler(BodyHandler.create().setBodyLimit(4096)).blockingHandler(this::createTenant, false);
        router.delete("/admin/tenants/:tenant").blockingHandler(this::revokeTenant, false);
        router.post("/admin/usage/reconcile").blockingHandler(this::reconcile, false);
    }

    private void usage(RoutingContext context) {
        try {
            Tenant tenant = ApiKeyGuard.tenant(context);
            Days asked = days(context);
            LocalDate from = asked.from();
            LocalDate to = asked.to();
            var days = usage.daily(tenant.id(), from, to);
            String format = context.queryParams().get("format");
            if ("csv".equals(format)) {
                StringBuilder csv = new StringBuilder("tenant,day,unit,amount\n");
                for (DailyUsage day : days) csv.append(tenant.id()).append(',').append(day.day()).append(',').append(day.unit().id()).append(',').append(day.amount()).append('\n');
                context.response().putHeader("Content-Type", "text/csv; charset=utf-8")
                        .putHeader("Content-Disposition", "attachment; filename=\"merlai-usage-" + tenant.id() + "-" + from + "-" + to + ".csv\"").end(csv.toString());
                return;
            }
            if (format != null && !format.equals("json")) throw new InvalidRequestException("format", "format is json (default) or csv, was '" + format + "'");
            ObjectNode body = MAPPER.createObjectNode().put("tenant", tenant.id()).put("from", from.toString()).put("to", to.toString());
            ArrayNode list = body.putArray("days");
            Map<Unit, Long> totals = new EnumMap<>(Unit.class);
            for (DailyUsage day : days) {
                list.addObject().put("day", day.day().toString()).put("unit", day.unit().id()).put("amount", day.amount());
                totals.merge(day.unit(), day.amount(), Long::sum);
            }
            ObjectNode sums = body.putObject("totals");
            for (Unit unit : Unit.values()) sums.put(unit.id(), totals.getOrDefault(unit, 0L));
            json(context, 200, body);
        } catch (Exception e) {
            context.fail(e);
        }
    }

    private void usageEvents(RoutingContext context) {
        try {
            Tenant tenant = ApiKeyGuard.tenant(context);
            Days asked = days(context);
            List<CloudEvent> events = new ArrayList<>();
            for (UsageRecord record : usage.records(tenant.id(), asked.from(), asked.to())) {
                ObjectNode data = MAPPER.createObjectNode().put("unit", record.unit().id()).put("amount", record.amount()).put("job", record.job());
                events.add(CloudEvent.json(EventTypes.USAGE_RECORDED, EventTypes.USAGE_SOURCE, record.tenant() + "/" + record.job() + "/" + record.unit().id(),
                        record.tenant(), MAPPER.writeValueAsBytes(data)).at(record.at()));
            }
            context.response().putHeader("Content-Type", CloudEvent.BATCH).end(Buffer.buffer(CloudEvent.batch(events)));
        } catch (Exception e) {
            context.fail(e);
        }
    }

    private void invoice(RoutingContext context) {
        try {
            Tenant tenant = ApiKeyGuard.tenant(context);
            String asked = context.queryParams().get("period");
            YearMonth period;
            try {
                period = asked == null ? YearMonth.from(today()) : YearMonth.parse(asked);
            } catch (DateTimeParseException e) {
                throw new InvalidRequestException("period", "period is a month, YYYY-MM, was '" + asked + "'");
            }
            Map<Unit, Long> used = new EnumMap<>(Unit.class);
            for (Unit unit : Unit.values()) used.put(unit, usage.monthTotal(tenant.id(), period, unit));
            Invoice invoice = Invoice.preview(tenant.id(), plans.of(tenant), period, used);
            ObjectNode body = MAPPER.createObjectNode().put("tenant", invoice.tenant()).put("plan", invoice.plan())
                    .put("period", invoice.period().toString()).put("currency", invoice.currency()).put("preview", true);
            ArrayNode lines = body.putArray("lines");
            for (Invoice.Line line : invoice.lines()) {
                lines.addObject().put("unit", line.unit().id()).put("used", line.used()).put("included", line.included())
                        .put("billable", line.billable()).put("unitPrice", line.unitPrice()).put("amount", line.amount());
            }
            body.put("total", invoice.total());
            json(context, 200, body);
        } catch (Exception e) {
            context.fail(e);
        }
    }

    private void listTenants(RoutingContext context) {
        try {
            ObjectNode body = MAPPER.createObjectNode();
            ArrayNode list = body.putArray("tenants");
            for (Tenant tenant : registry.list()) list.add(tenant.summary());
            json(context, 200, body);
        } catch (Exception e) {
            context.fail(e);
        }
    }

    private void createTenant(RoutingContext context) {
        try {
            JsonNode request = RequestBodies.json(context);
            if (request == null || !request.path("tenant").isTextual()) throw new InvalidRequestException("tenant", "give the tenant: {\"tenant\": \"acme\", \"plan\": \"free\"}");
            String plan = request.path("plan").isTextual() ? request.get("plan").asText() : null;
            TenantRegistry.IssuedKey issued;
            try {
                issued = registry.issueKey(request.get("tenant").asText(), plan);
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException(e.getMessage().contains("plan") ? "plan" : "tenant", e.getMessage());
            }
            ObjectNode body = issued.tenant().summary().put("apiKey", issued.apiKey())
                    .put("note", "the key is shown this once; only its hash is kept");
            json(context, 201, body);
        } catch (Exception e) {
            context.fail(e);
        }
    }

    private void revokeTenant(RoutingContext context) {
        try {
            String id = context.pathParam("tenant");
            java.util.Optional<Tenant> revoked;
            try {
                revoked = registry.revoke(id);
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException("tenant", e.getMessage());
            }
            if (revoked.isEmpty()) {
                ProblemResponses.send(context, 404, new JsonObject().put("type", "https://merlai.dev/problems/no-such-tenant").put("title", "No such tenant")
                        .put("status", 404).put("detail", "no tenant " + id));
                return;
            }
            json(context, 200, revoked.get().summary());
        } catch (Exception e) {
            context.fail(e);
        }
    }

    private void reconcile(RoutingContext context) {
        try {
            ReconcileReport report = usage.reconcile();
            json(context, 200, MAPPER.createObjectNode().put("records", report.records()).put("counted", report.counted())
                    .put("corrected", report.corrected()).put("differences", report.differences()));
        } catch (Exception e) {
            context.fail(e);
        }
    }

    private static LocalDate today() {
        return LocalDate.now(ZoneOffset.UTC);
    }

    private static LocalDate date(RoutingContext context, String field, LocalDate fallback) throws InvalidRequestException {
        String value = context.queryParams().get(field);
        try {
            return value == null ? fallback : LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException(field, field + " is a UTC day, YYYY-MM-DD, was '" + value + "'");
        }
    }

    /** The UTC days {@code from..to} asked for, inclusive; default: this month so far. */
    private record Days(LocalDate from, LocalDate to) {
    }

    private static Days days(RoutingContext context) throws InvalidRequestException {
        LocalDate from = date(context, "from", today().withDayOfMonth(1));
        LocalDate to = date(context, "to", today());
        if (to.isBefore(from)) throw new InvalidRequestException("to", "to (" + to + ") is before from (" + from + ")");
        if (ChronoUnit.DAYS.between(from, to) >= MAX_DAYS) throw new InvalidRequestException("to", "ask for at most " + MAX_DAYS + " days at a time");
        return new Days(from, to);
    }

    private static void json(RoutingContext context, int status, JsonNode body) throws IOException {
        context.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(MAPPER.writeValueAsString(body));
    }
}
