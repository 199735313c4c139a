package dev.merlai.platform.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Checks the OIDC access token Knative Eventing sends with an event when its {@code authentication-oidc} feature is on
 * ({@code Authorization: Bearer <JWT>}, a Kubernetes service-account token minted for the subscriber's audience): an
 * RS256 signature by a key of the issuer's JWKS, the issuer, the audience, and the expiry and not-before times. The JWKS
 * is fetched on first use and again when a token names a key id it does not hold (the issuer rotated its keys), at most
 * once per {@link #REFRESH_INTERVAL} after a good read. In a cluster the JWKS is the API server's
 * ({@code https://kubernetes.default.svc/openid/v1/jwks}): trusted through the cluster's CA file and read with the pod's
 * own service-account token, the two files Kubernetes mounts in every pod.
 */
public final class OidcTokenVerifier {

    /** The clock skew allowed on {@code exp} and {@code nbf}. */
    static final Duration LEEWAY = Duration.ofSeconds(30);
    static final Duration REFRESH_INTERVAL = Duration.ofSeconds(30);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Base64.Decoder BASE64URL = Base64.getUrlDecoder();

    /** Why a token was refused; the message says what was wrong (for the 401 problem and the log). */
    public static final class InvalidTokenException extends Exception {
        private final boolean issuerUnreachable;

        InvalidTokenException(String message) {
            this(message, false);
        }

        InvalidTokenException(String message, boolean issuerUnreachable) {
            super(message);
            this.issuerUnreachable = issuerUnreachable;
        }

        /** True when the token could not be checked because the JWKS could not be read: worth a retry (503), not a 401. */
        public boolean issuerUnreachable() {
            return issuerUnreachable;
        }
    }

    private final String issuer;
    private final String audience;
    private final URI jwksUrl;
    private final Duration refreshInterval;
    private final HttpClient http;
    private final Optional<Path> jwksTokenFile;
    private volatile Map<String, PublicKey> keys = Map.of();
    private volatile Instant fetchedAt = Instant.EPOCH;

    /**
     * @param caFile        PEM certificates to trust for an {@code https} JWKS URL besides the JDK's (the cluster's CA)
     * @param jwksTokenFile a bearer token to read the JWKS with (the pod's service-account token), read anew each time
     * @throws IllegalArgumentException the CA file cannot be read
     */
    public OidcTokenVerifier(String issuer, String audience, URI jwksUrl, Optional<Path> caFile, Optional<Path> jwksTokenFile) {
        this(issuer, audience, jwksUrl, caFile, jwksTokenFile, REFRESH_INTERVAL);
    }

    OidcTokenVerifier(String issuer, String audience, URI jwksUrl, Optional<Path> caFile, Optional<Path> jwksTokenFile, Duration refreshInterval) {
        this.issuer = issuer;
        this.audience = audience;
        this.jwksUrl = jwksUrl;
        this.jwksTokenFile = jwksTokenFile;
        this.refreshInterval = refreshInterval;
        HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        caFile.ifPresent(file -> http.sslContext(trusting(file)));
        this.http = http.build();
    }

    private static SSLContext trusting(Path caFile) {
        try (var in = Files.newInputStream(caFile)) {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int n = 0;
            for (var certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) trusted.setCertificateEntry("ca-" + n++, certificate);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("the CA file " + caFile + " cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * @return the token's subject (the sender's service account, e.g. {@code system:serviceaccount:merlai:oidc-trigger-...})
     * @throws InvalidTokenException the token is malformed, not signed by the issuer's key, or not meant for this audience now
     */
    public String verify(String token) throws InvalidTokenException {
        String[] parts = token == null ? new String[0] : token.split("\\.", -1);
        if (parts.length != 3) throw new InvalidTokenException("the bearer token is not a JWT");
        JsonNode header = json(parts[0], "header");
        JsonNode claims = json(parts[1], "claims");
        if (!"RS256".equals(header.path("alg").asText())) throw new InvalidTokenException("the token's algorithm must be RS256, was " + header.path("alg").asText());
        PublicKey key = key(header.path("kid").asText(""));
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initVerify(key);
            rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!rsa.verify(BASE64URL.decode(parts[2]))) throw new InvalidTokenException("the token's signature does not verify");
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new InvalidTokenException("the token's signature does not verify: " + e.getMessage());
        }
        if (!issuer.equals(claims.path("iss").asText())) throw new InvalidTokenException("the token's issuer is not " + issuer);
        JsonNode aud = claims.path("aud");
        boolean meantForUs = aud.isArray() ? containsText(aud, audience) : audience.equals(aud.asText());
        if (!meantForUs) throw new InvalidTokenException("the token is not for the audience " + audience);
        Instant now = Instant.now();
        if (!claims.path("exp").canConvertToLong() || now.minus(LEEWAY).getEpochSecond() >= claims.get("exp").asLong()) {
            throw new InvalidTokenException("the token has expired (or has no exp)");
        }
        if (claims.has("nbf") && now.plus(LEEWAY).getEpochSecond() < claims.get("nbf").asLong()) throw new InvalidTokenException("the token is not valid yet");
        return claims.path("sub").asText("");
    }

    private PublicKey key(String kid) throws InvalidTokenException {
        PublicKey key = keys.get(kid);
        if (key == null && Duration.between(fetchedAt, Instant.now()).compareTo(refreshInterval) >= 0) {
            refresh();
            key = keys.get(kid);
        }
        if (key == null) throw new InvalidTokenException("no key '" + kid + "' in the issuer's JWKS " + jwksUrl);
        return key;
    }

    private synchronized void refresh() throws InvalidTokenException {
        if (Duration.between(fetchedAt, Instant.now()).compareTo(refreshInterval) < 0) return; // another thread just did
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(jwksUrl).timeout(Duration.ofSeconds(10)).GET();
            if (jwksTokenFile.isPresent()) request.header("Authorization", "Bearer " + Files.readString(jwksTokenFile.get()).strip());
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) throw new InvalidTokenException("the JWKS " + jwksUrl + " answered " + response.statusCode(), true);
            Map<String, PublicKey> fetched = new HashMap<>();
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            for (JsonNode jwk : MAPPER.readTree(response.body()).path("keys")) {
                if (!"RSA".equals(jwk.path("kty").asText())) continue;
                BigInteger modulus = new BigInteger(1, BASE64URL.decode(jwk.path("n").asText()));
                BigInteger exponent = new BigInteger(1, BASE64URL.decode(jwk.path("e").asText()));
                fetched.put(jwk.path("kid").asText(""), rsa.generatePublic(new RSAPublicKeySpec(modulus, exponent)));
            }
            keys = Map.copyOf(fetched);
            fetchedAt = Instant.now(); // only after a good read: while the issuer is unreachable every event asks again
        } catch (IOException | IllegalArgumentException | GeneralSecurityException e) {
            throw new InvalidTokenException("the JWKS " + jwksUrl + " cannot be read: " + e.getMessage(), true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InvalidTokenException("interrupted while reading the JWKS " + jwksUrl, true);
        }
    }

    private static JsonNode json(String part, String what) throws InvalidTokenException {
        try {
            JsonNode node = MAPPER.readTree(BASE64URL.decode(part));
            if (node == null || !node.isObject()) throw new InvalidTokenException("the token's " + what + " is not a JSON object");
            return node;
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidTokenException("the token's " + what + " is not base64url JSON");
        }
    }

    private static boolean containsText(JsonNode array, String text) {
        for (JsonNode item : array) if (text.equals(item.asText())) return true;
        return false;
    }
}
