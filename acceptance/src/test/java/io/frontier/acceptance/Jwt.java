package io.frontier.acceptance;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Device tokens as a backend mints them, from the token format of the README alone: an HS256 JWT
 * with {@code sub} (the user), {@code did} (the device) and {@code exp}.
 */
final class Jwt {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private Jwt() {
    }

    static String mint(String secret, String user, String device) {
        return mint(secret, user, device, Instant.now().plusSeconds(3600));
    }

    static String mint(String secret, String user, String device, Instant expires) {
        String header = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
        String claims = "{\"sub\":\"" + user + "\"" + (device == null ? "" : ",\"did\":\"" + device + "\"")
                + ",\"exp\":" + expires.getEpochSecond() + "}";
        String signed = encode(header) + "." + encode(claims);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return signed + "." + B64.encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String json) {
        return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
