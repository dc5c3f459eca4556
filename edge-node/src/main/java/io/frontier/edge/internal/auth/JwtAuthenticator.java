package io.frontier.edge.internal.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.SignatureVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import com.auth0.jwt.interfaces.DecodedJWT;
import io.frontier.protocol.Ids;
import io.frontier.protocol.StatusCode;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;

/**
 * Built-in tokens: JWTs signed with HS256. {@code sub} is the user id, {@code exp}
 * is required and enforced, and {@code did}, when present, binds the token to one
 * device. Verifying takes microseconds, so it runs on the caller's thread.
 */
public final class JwtAuthenticator implements Authenticator {
    /** The claim that binds a token to one device. */
    public static final String DEVICE_CLAIM = "did";
    /** The longest token accepted; anything longer is not one of ours. */
    static final int MAX_TOKEN_LENGTH = 4096;

    private final JWTVerifier verifier;

    public JwtAuthenticator(String secret, Clock clock) {
        JWTVerifier.BaseVerification verification = (JWTVerifier.BaseVerification) JWT.require(Algorithm.HMAC256(secret))
                .withClaimPresence("sub")
                .withClaimPresence("exp");
        verifier = verification.build(clock);
    }

    @Override
    public CompletableFuture<Identity> authenticate(Credentials credentials) {
        try {
            return CompletableFuture.completedFuture(verify(credentials));
        } catch (AuthException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private Identity verify(Credentials credentials) throws AuthException {
        String token = credentials.token();
        if (token == null || token.isEmpty()) {
            throw new AuthException(StatusCode.UNAUTHORIZED, "no token");
        }
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw new AuthException(StatusCode.UNAUTHORIZED, "token over " + MAX_TOKEN_LENGTH + " characters");
        }
        DecodedJWT jwt;
        try {
            jwt = verifier.verify(token);
        } catch (TokenExpiredException e) {
            throw new AuthException(StatusCode.UNAUTHORIZED, "token expired");
        } catch (SignatureVerificationException e) {
            throw new AuthException(StatusCode.UNAUTHORIZED, "token signature does not verify");
        } catch (JWTVerificationException e) {
            throw new AuthException(StatusCode.UNAUTHORIZED, "invalid token: " + e.getMessage());
        }
        String userId = jwt.getSubject();
        if (!Ids.valid(userId)) {
            throw new AuthException(StatusCode.UNAUTHORIZED,
                    "token subject must be a user id of 1 to 128 characters, no control characters");
        }
        String deviceId = DeviceIds.resolve(credentials.deviceId(), jwt.getClaim(DEVICE_CLAIM).asString());
        return new Identity(userId, deviceId);
    }
}
