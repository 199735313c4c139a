package dev.merlai.platform.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The check of Knative's sender tokens, with real RSA key pairs and the issuer's JWKS served over loopback HTTP, as the
 * Kubernetes API server serves {@code /openid/v1/jwks}.
 */
class OidcTokenVerifierTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String ISSUER = "https://kubernetes.default.svc.cluster.local";
    private static final String AUDIENCE = "merlai-complete";
    private static final String SENDER = "system:serviceaccount:merlai:oidc-trigger-complete";

    private final KeyPair issuerKey = rsa();
    private final KeyPair otherKey = rsa();
    private final AtomicInteger jwksReads = new AtomicInteger();
    private volatile Map<String, KeyPair> published;
    /** The token the JWKS asks for, as the API server does; null: anyone may read it. */
    private volatile String jwksReader;
    private HttpServer jwks;
    private OidcTokenVerifier verifier;

    private static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeEach
    void serveTheIssuersJwks() throws Exception {
        published = Map.of("key-1", issuerKey);
        jwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        jwks.createContext("/openid/v1/jwks", exchange -> {
            jwksReads.incrementAndGet();
            if (jwksReader != null && !("Bearer " + jwksReader).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                exchange.sendResponseHeaders(401, -1);
                exchange.close();
                return;
            }
            List<Map<String, String>> keys = published.entrySet().stream().map(entry -> {
                RSAPublicKey key = (RSAPublicKey) entry.getValue().getPublic();
                return Map.of("kty", "RSA", "alg", "RS256", "use", "sig", "kid", entry.getKey(), "n", base64url(key.getModulus()),
                        "e", base64url(key.getPublicExponent()));
            }).toList();
            byte[] body = MAPPER.writeValueAsBytes(Map.of("keys", keys));
            exchange.getResponseHeaders().set("Content-Type", "application/jwk-set+json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        jwks.start();
        verifier = new OidcTokenVerifier(ISSUER, AUDIENCE, URI.create("http://127.0.0.1:" + jwks.getAddress().getPort() + "/openid/v1/jwks"),
                Optional.empty(), Optional.empty());
    }

    @AfterEach
    void stop() {
        jwks.stop(0);
    }

    private static String base64url(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String token(KeyPair key, String kid, Map<String, Object> claims) throws Exception {
        Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
        String header = encoder.encodeToString(MAPPER.writeValueAsBytes(Map.of("alg", "RS256", "kid", kid, "typ", "JWT")));
        String payload = encoder.encodeToString(MAPPER.writeValueAsBytes(claims));
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initSign(key.getPrivate());
        rsa.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
        return header + "." + payload + "." + encoder.encodeToString(rsa.sign());
    }

    private static Map<String, Object> claims() {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", ISSUER);
        claims.put("aud", List.of(AUDIENCE));
        claims.put("sub", SENDER);
        claims.put("iat", Instant.now().getEpochSecond());
        claims.put("exp", Instant.now().plusSeconds(600).getEpochSecond());
        return claims;
    }

    private void refused(String token, String reason) {
        OidcTokenVerifier.InvalidTokenException e = assertThrows(OidcTokenVerifier.InvalidTokenException.class, () -> verifier.verify(token));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
        assertFalse(e.issuerUnreachable(), "a bad token is the sender's fault, not worth a retry");
    }

    @Test
    void aTokenOfTheIssuerForThisAudienceNamesItsSender() throws Exception {
        assertEquals(SENDER, verifier.verify(token(issuerKey, "key-1", claims())));
        assertEquals(SENDER, verifier.verify(token(issuerKey, "key-1", claims())));
        assertEquals(1, jwksReads.get(), "the JWKS is read once and kept");
    }

    @Test
    void tokensNotSignedByTheIssuerOrNotMeantForThisFunctionNowAreRefused() throws Exception {
        refused(token(otherKey, "key-1", claims()), "signature");
        Map<String, Object> otherAudience = claims();
        otherAudience.put("aud", "merlai-render-midi");
        refused(token(issuerKey, "key-1", otherAudience), "audience");
        Map<String, Object> otherIssuer = claims();
        otherIssuer.put("iss", "https://evil.example");
        refused(token(issuerKey, "key-1", otherIssuer), "issuer");
        Map<String, Object> expired = claims();
        expired.put("exp", Instant.now().minusSeconds(120).getEpochSecond());
        refused(token(issuerKey, "key-1", expired), "expired");
        Map<String, Object> early = claims();
        early.put("nbf", Instant.now().plusSeconds(600).getEpochSecond());
        refused(token(issuerKey, "key-1", early), "not valid yet");

        String good = token(issuerKey, "key-1", claims());
        String[] parts = good.split("\\.");
        String none = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\",\"kid\":\"key-1\"}".getBytes(StandardCharsets.UTF_8));
        refused(none + "." + parts[1] + ".", "algorithm");
        String forgedClaims = Base64.getUrlEncoder().withoutPadding().encodeToString(MAPPER.writeValueAsBytes(Map.of("iss", ISSUER,
                "aud", AUDIENCE, "sub", "system:serviceaccount:merlai:mallory", "exp", Instant.now().plusSeconds(600).getEpochSecond())));
        refused(parts[0] + "." + forgedClaims + "." + parts[2], "signature");
        refused("not-a-jwt", "not a JWT");
    }

    @Test
    void aRotatedKeyIsFetchedWhenATokenNamesIt() throws Exception {
        assertEquals(SENDER, verifier.verify(token(issuerKey, "key-1", claims())));
        published = Map.of("key-2", otherKey);
        // within the refresh interval an unknown key is not fetched again (a flood of bad kids cannot hammer the issuer)
        refused(token(otherKey, "key-2", claims()), "no key");
        assertEquals(1, jwksReads.get());

        OidcTokenVerifier eager = new OidcTokenVerifier(ISSUER, AUDIENCE, URI.create("http://127.0.0.1:" + jwks.getAddress().getPort()
                + "/openid/v1/jwks"), Optional.empty(), Optional.empty(), java.time.Duration.ZERO);
        assertEquals(SENDER, eager.verify(token(otherKey, "key-2", claims())), "past the interval the new key is fetched");
    }

    @Test
    void theJwksIsReadWithThePodsTokenWhereTheIssuerAsksForOne(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        jwksReader = "pod-service-account-token";
        String token = token(issuerKey, "key-1", claims());
        assertTrue(assertThrows(OidcTokenVerifier.InvalidTokenException.class, () -> verifier.verify(token)).issuerUnreachable(),
                "without the token the JWKS is refused: a retry, not the sender's fault");
        java.nio.file.Path tokenFile = java.nio.file.Files.writeString(dir.resolve("token"), jwksReader + "\n");
        OidcTokenVerifier withToken = new OidcTokenVerifier(ISSUER, AUDIENCE, URI.create("http://127.0.0.1:" + jwks.getAddress().getPort()
                + "/openid/v1/jwks"), Optional.empty(), Optional.of(tokenFile));
        assertEquals(SENDER, withToken.verify(token));
    }

    @Test
    void anUnreachableIssuerIsARetryNotARefusal() throws Exception {
        String token = token(issuerKey, "key-1", claims());
        jwks.stop(0);
        OidcTokenVerifier.InvalidTokenException e = assertThrows(OidcTokenVerifier.InvalidTokenException.class, () -> verifier.verify(token));
        assertTrue(e.issuerUnreachable(), e.getMessage());
    }
}
