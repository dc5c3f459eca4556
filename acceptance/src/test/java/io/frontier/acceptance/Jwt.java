package io.frontier.acceptance;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Device tokens as a backend mints them, from the token format of the README alone: an HS256 JWT
 * with {@code sub} (the user), {@code did} (the device) and {@code exp}; or an RS256 one signed by a key
 * the gateway's JWKS file lists.
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

    /**
     * An RS256 JWT signed with {@code key}, naming it by {@code kid}, with the claims {@code claimsJson} (a JSON
     * object's members without the braces, such as {@code "sub":"u","exp":123}).
     */
    static String rs256(PrivateKey key, String kid, String claimsJson) {
        String signed = encode("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"" + kid + "\"}") + "."
                + encode("{" + claimsJson + "}");
        try {
            Signature signer = Signature.getInstance("SHA256withRSA");
            signer.initSign(key);
            signer.update(signed.getBytes(StandardCharsets.US_ASCII));
            return signed + "." + B64.encodeToString(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The JWK of an RSA public key, as a JWKS file lists it. */
    static String jwk(String kid, RSAPublicKey key) {
        return "{\"kty\":\"RSA\",\"kid\":\"" + kid + "\",\"alg\":\"RS256\",\"use\":\"sig\",\"n\":\""
                + unsigned(key.getModulus()) + "\",\"e\":\"" + unsigned(key.getPublicExponent()) + "\"}";
    }

    private static String unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes[0] == 0 ? B64.encodeToString(Arrays.copyOfRange(bytes, 1, bytes.length)) : B64.encodeToString(bytes);
    }

    private static String encode(String json) {
        return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
