package dev.merlai.platform.events;

import dev.merlai.events.EventSignature;
import dev.merlai.events.HeaderValues;
import dev.merlai.platform.http.ProblemResponses;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Lets only the platform's own senders reach a function's event routes (Funqy's {@code POST /} and
 * {@code POST /<function>}): ordered before Funqy, it refuses anything else with a 401 problem before a byte is read
 * from storage. {@code merlai.events.auth} picks how a sender proves itself:
 * <ul>
 *   <li>{@code hmac} (one machine): the {@value EventSignature#HEADER} header, an HMAC over the event made with
 *       {@code merlai.events.secret}, which {@code merlai serve} generates and hands to its router, inbox watcher and
 *       functions;</li>
 *   <li>{@code oidc} (a cluster with Knative's {@code authentication-oidc}): the {@code Authorization: Bearer} token
 *       the broker sends, checked by {@link OidcTokenVerifier} against {@code merlai.events.oidc.issuer},
 *       {@code .jwks-url} and {@code .audience} (with {@code .ca-file} and {@code .jwks-token-file} to read the API
 *       server's JWKS).</li>
 * </ul>
 * Without the settings its mode needs, every event is refused (fail closed). Which tenant an authenticated event may
 * name is the function's own check (the inbox of the key, the job it was handed).
 */
@ApplicationScoped
public class EventAuthFilter {

    public static final String UNAUTHENTICATED_TYPE = "https://merlai.dev/problems/unauthenticated-event";
    public static final String HMAC = "hmac";
    public static final String OIDC = "oidc";
    private static final Logger LOG = Logger.getLogger(EventAuthFilter.class);
    /** The largest event body read for checking; Funqy's own limit is quarkus.http.limits.max-body-size. */
    private static final long MAX_EVENT_BYTES = 8L * 1024 * 1024;

    @ConfigProperty(name = "merlai.events.auth")
    String mode;

    @ConfigProperty(name = "merlai.events.secret")
    Optional<String> secret;

    @ConfigProperty(name = "merlai.events.oidc.issuer")
    Optional<String> issuer;

    @ConfigProperty(name = "merlai.events.oidc.jwks-url")
    Optional<String> jwksUrl;

    @ConfigProperty(name = "merlai.events.oidc.audience")
    Optional<String> audience;

    @ConfigProperty(name = "merlai.events.oidc.ca-file")
    Optional<Path> caFile;

    @ConfigProperty(name = "merlai.events.oidc.jwks-token-file")
    Optional<Path> jwksTokenFile;

    /** The Funqy function this application serves, which Funqy also routes at {@code /<function>}. */
    @ConfigProperty(name = "quarkus.application.name")
    String function;

    private EventSignature signature;
    private OidcTokenVerifier tokens;
    private String misconfigured;

    void configure(@Observes StartupEvent started) {
        switch (mode) {
            case HMAC -> {
                try {
                    signature = new EventSignature(secret.orElse(""));
                } catch (IllegalArgumentException e) {
                    misconfigured = "merlai.events.secret (MERLAI_EVENTS_SECRET) is not set or too short: " + e.getMessage();
                }
            }
            case OIDC -> {
                if (issuer.isEmpty() || jwksUrl.isEmpty() || audience.isEmpty()) {
                    misconfigured = "merlai.events.auth=oidc needs merlai.events.oidc.issuer, .jwks-url and .audience";
                } else {
                    try {
                        tokens = new OidcTokenVerifier(issuer.get(), audience.get(), URI.create(jwksUrl.get()), caFile, jwksTokenFile);
                    } catch (IllegalArgumentException e) {
                        misconfigured = e.getMessage();
                    }
                }
            }
            default -> misconfigured = "merlai.events.auth must be hmac or oidc, was '" + mode + "'";
        }
        if (misconfigured != null) LOG.errorf("every event will be refused: %s", misconfigured);
    }

    void install(@Observes Router router) {
        for (String path : new String[]{"/", "/" + function}) {
            router.route(path).order(-450).handler(BodyHandler.create().setBodyLimit(MAX_EVENT_BYTES)).blockingHandler(this::check, false);
        }
    }

    /** Why a request was refused: 401 when its sender is not proven, 503 when the proof cannot be checked now. */
    private record Refusal(int status, String detail) {
    }

    private void check(RoutingContext context) {
        Refusal refusal = refusal(context.request().headers(), context.body().buffer());
        if (refusal == null) {
            context.next();
            return;
        }
        LOG.warnf("event refused (%d) from %s on %s: %s", refusal.status(), context.request().remoteAddress(), context.request().path(), refusal.detail());
        if (refusal.status() == 503) context.response().putHeader("Retry-After", "5");
        ProblemResponses.send(context, refusal.status(), UNAUTHENTICATED_TYPE,
                refusal.status() == 503 ? "Event sender cannot be checked now" : "Event sender not authenticated", refusal.detail());
    }

    private Refusal refusal(MultiMap headers, Buffer body) {
        if (misconfigured != null) return new Refusal(401, "this function accepts no events: " + misconfigured);
        if (signature != null) {
            byte[] bytes = body == null ? new byte[0] : body.getBytes();
            String given = headers.get(EventSignature.HEADER);
            if (given == null) return new Refusal(401, "the event has no " + EventSignature.HEADER + " header");
            return signature.verify(given, HeaderValues.decode(headers.get("ce-id")), HeaderValues.decode(headers.get("ce-source")),
                    HeaderValues.decode(headers.get("ce-type")), HeaderValues.decode(headers.get("ce-subject")), bytes)
                    ? null : new Refusal(401, "the event's " + EventSignature.HEADER + " does not match it (wrong secret, changed event, or older than "
                    + EventSignature.TOLERANCE.toMinutes() + " minutes)");
        }
        String authorization = headers.get("Authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return new Refusal(401, "the event has no Authorization: Bearer token");
        }
        try {
            tokens.verify(authorization.substring(7).strip());
            return null;
        } catch (OidcTokenVerifier.InvalidTokenException e) {
            return new Refusal(e.issuerUnreachable() ? 503 : 401, e.getMessage());
        }
    }
}
