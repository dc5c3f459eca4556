package io.frontier.edge.internal.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.AlgorithmMismatchException;
import com.auth0.jwt.exceptions.IncorrectClaimException;
import com.auth0.jwt.exceptions.JWTDecodeException;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.MissingClaimException;
import com.auth0.jwt.exceptions.SignatureVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.auth0.jwt.interfaces.Verification;
import io.frontier.edge.EdgeConfig;
import io.frontier.edge.tls.FileReloads;
import io.frontier.protocol.Ids;
import io.frontier.protocol.StatusCode;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * Built-in tokens: JWTs signed with HS256 (the shared secret), or with RS256..RS512 or ES256..ES512 by a key of
 * a JWKS file that the token names by {@code kid} (several keys at once, for rotation; the file is read again
 * when it changes). {@code sub} is the user id, {@code exp} is required and enforced, {@code nbf} and
 * {@code iat} are honoured, all within the configured leeway; {@code iss} and {@code aud} are checked when
 * configured; {@code did}, when present, binds the token to one device. A refusal says which rule the token
 * broke in a few fixed words, never the token's content. Verifying takes microseconds, so it runs on the
 * caller's thread.
 */
public final class JwtAuthenticator implements Authenticator {
    /** The claim that binds a token to one device. */
    public static final String DEVICE_CLAIM = "did";
    /** The longest token accepted; anything longer is not one of ours. */
    static final int MAX_TOKEN_LENGTH = 4096;
    /** How often the JWKS file is checked for a change. */
    static final Duration JWKS_CHECK = Duration.ofSeconds(10);
    /** Claims a refusal may name; any other goes unnamed, so that no text of the token reaches the device. */
    private static final Set<String> NAMED_CLAIMS = Set.of("sub", "exp", "nbf", "iat", "iss", "aud");

    private final String issuer;
    private final String audience;
    private final long leewaySeconds;
    private final Clock clock;
    private final JWTVerifier hs256;
    private volatile Map<String, JWTVerifier> byKid = Map.of();
    private FileReloads jwksReloads;

    /** Built-in HS256 tokens of {@code secret} alone, no leeway: as tests and tools use them. */
    public JwtAuthenticator(String secret, Clock clock) {
        this(secret, null, null, Duration.ZERO, clock);
    }

    private JwtAuthenticator(String secret, String issuer, String audience, Duration leeway, Clock clock) {
        this.issuer = issuer;
        this.audience = audience;
        this.leewaySeconds = leeway.toSeconds();
        this.clock = clock;
        this.hs256 = secret == null ? null : verifier(Algorithm.HMAC256(secret));
    }

    /**
     * Returns the authenticator of {@code auth}'s built-in tokens; its JWKS file, when there is one, is read
     * now and checked for changes every {@link #JWKS_CHECK} until {@link #close()}.
     *
     * @throws IllegalArgumentException when the JWKS file cannot be used, saying why
     */
    public static JwtAuthenticator start(EdgeConfig.Auth auth, Clock clock) {
        return start(auth, clock, JWKS_CHECK);
    }

    /** {@link #start(EdgeConfig.Auth, Clock)} checking the JWKS file every {@code check}: tests do not wait. */
    static JwtAuthenticator start(EdgeConfig.Auth auth, Clock clock, Duration check) {
        JwtAuthenticator authenticator = new JwtAuthenticator(auth.jwtSecret(), auth.issuer(), auth.audience(),
                auth.leeway(), clock);
        if (auth.jwksFile() != null) {
            try {
                authenticator.jwksReloads = FileReloads.start("the JWKS file", List.of(auth.jwksFile()), check,
                        () -> authenticator.loadKeys(auth));
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalArgumentException("jwksFile: cannot use " + auth.jwksFile()
                        + " (expected: a JSON Web Key Set of RSA or EC public keys, each with a kid): " + e.getMessage(), e);
            }
        }
        return authenticator;
    }

    @Override
    public CompletableFuture<Identity> authenticate(Credentials credentials) {
        try {
            return CompletableFuture.completedFuture(verify(credentials));
        } catch (AuthException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Stops checking the JWKS file. */
    @Override
    public void close() {
        if (jwksReloads != null) {
            jwksReloads.close();
        }
    }

    private String loadKeys(EdgeConfig.Auth auth) throws IOException, GeneralSecurityException {
        Map<String, JWTVerifier> verifiers = new HashMap<>();
        JwksKeys.read(auth.jwksFile()).forEach((kid, algorithm) -> verifiers.put(kid, verifier(algorithm)));
        byKid = Map.copyOf(verifiers);
        return auth.jwksFile() + ", keys " + new TreeSet<>(verifiers.keySet());
    }

    private JWTVerifier verifier(Algorithm algorithm) {
        Verification rules = JWT.require(algorithm)
                .withClaimPresence("sub")
                .withClaimPresence("exp")
                .acceptLeeway(leewaySeconds);
        if (issuer != null) {
            rules.withIssuer(issuer);
        }
        if (audience != null) {
            rules.withAudience(audience);
        }
        return ((JWTVerifier.BaseVerification) rules).build(clock);
    }

    private Identity verify(Credentials credentials) throws AuthException {
        String token = credentials.token();
        if (token == null || token.isEmpty()) {
            throw refused("no token");
        }
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw refused("token over " + MAX_TOKEN_LENGTH + " characters");
        }
        DecodedJWT jwt;
        try {
            jwt = JWT.decode(token);
        } catch (JWTDecodeException e) {
            throw refused("token is not a JWT");
        }
        try {
            verifierOf(jwt).verify(jwt);
        } catch (TokenExpiredException e) {
            throw refused("token expired");
        } catch (SignatureVerificationException e) {
            throw refused("token signature does not verify");
        } catch (AlgorithmMismatchException e) {
            throw refused("token algorithm is not its key's");
        } catch (MissingClaimException e) {
            throw refused(named(e.getClaimName()) ? "token has no " + e.getClaimName() + " claim"
                    : "token lacks a required claim");
        } catch (IncorrectClaimException e) {
            throw refused(named(e.getClaimName()) ? "token " + e.getClaimName() + " claim is not accepted"
                    : "a token claim is not accepted");
        } catch (JWTVerificationException e) {
            throw refused("invalid token");
        }
        String userId = jwt.getSubject();
        if (!Ids.valid(userId)) {
            throw refused("token subject must be a user id of 1 to 128 characters, no control characters");
        }
        String deviceId = DeviceIds.resolve(credentials.deviceId(), jwt.getClaim(DEVICE_CLAIM).asString());
        return new Identity(userId, deviceId);
    }

    private JWTVerifier verifierOf(DecodedJWT jwt) throws AuthException {
        if ("HS256".equals(jwt.getAlgorithm())) {
            if (hs256 == null) {
                throw refused("HS256 tokens are not accepted here");
            }
            return hs256;
        }
        String kid = jwt.getKeyId();
        if (kid == null) {
            throw refused("token names no key (kid)");
        }
        JWTVerifier verifier = byKid.get(kid);
        if (verifier == null) {
            throw refused("token key is not known");
        }
        return verifier;
    }

    private static boolean named(String claim) {
        return claim != null && NAMED_CLAIMS.contains(claim);
    }

    private static AuthException refused(String reason) {
        return new AuthException(StatusCode.UNAUTHORIZED, reason);
    }
}
