package io.frontier.edge.internal.auth;

import com.auth0.jwk.InvalidPublicKeyException;
import com.auth0.jwk.Jwk;
import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The public keys of a JSON Web Key Set file ({@code {"keys": [...]}}), by {@code kid}: RSA keys for RS256,
 * RS384 or RS512 and EC keys for ES256 (P-256), ES384 (P-384) or ES512 (P-521). Several keys at once let a
 * signer rotate: publish the new key, sign with it, then drop the old one. The JWK format is parsed by
 * Auth0's jwks-rsa.
 */
final class JwksKeys {
    /** Keys a file may hold at most: a set is a handful of keys, not a store. */
    static final int MAX_KEYS = 64;
    /** The largest file read: 64 keys of RSA-4096 take about 64 KiB. */
    static final long MAX_FILE_BYTES = 1 << 20;
    /** RSA keys shorter than this are refused: they no longer protect a signature. */
    static final int MIN_RSA_BITS = 2048;
    private static final ObjectMapper JSON = new ObjectMapper();

    private JwksKeys() {
    }

    /**
     * Reads the file and returns each key's algorithm, by {@code kid}.
     *
     * @throws GeneralSecurityException naming the first key that cannot be used, or the file's shape
     */
    static Map<String, Algorithm> read(Path file) throws IOException, GeneralSecurityException {
        if (Files.size(file) > MAX_FILE_BYTES) {
            throw new GeneralSecurityException(file + " is over " + MAX_FILE_BYTES + " bytes");
        }
        Map<String, Object> set;
        try {
            set = JSON.readValue(file.toFile(), new TypeReference<>() { });
        } catch (IOException e) {
            throw new GeneralSecurityException(file + " is not JSON");
        }
        if (!(set.get("keys") instanceof List<?> keys)) {
            throw new GeneralSecurityException(file + " has no \"keys\" array");
        }
        if (keys.size() > MAX_KEYS) {
            throw new GeneralSecurityException(file + " holds over " + MAX_KEYS + " keys");
        }
        Map<String, Algorithm> byKid = new HashMap<>();
        for (Object value : keys) {
            if (!(value instanceof Map<?, ?> fields)) {
                throw new GeneralSecurityException(file + ": a key that is not a JSON object");
            }
            @SuppressWarnings("unchecked")
            Jwk jwk = Jwk.fromValues((Map<String, Object>) fields);
            String kid = jwk.getId();
            if (kid == null || kid.isEmpty()) {
                throw new GeneralSecurityException(file + ": a key without \"kid\" (tokens name their key by it)");
            }
            if (byKid.put(kid, algorithm(jwk)) != null) {
                throw new GeneralSecurityException(file + ": two keys with kid " + kid);
            }
        }
        return Map.copyOf(byKid);
    }

    private static Algorithm algorithm(Jwk jwk) throws GeneralSecurityException {
        String kid = jwk.getId();
        if (jwk.getUsage() != null && !jwk.getUsage().equals("sig")) {
            throw new GeneralSecurityException("key " + kid + ": use " + jwk.getUsage() + " (expected: sig)");
        }
        try {
            return switch (jwk.getType()) {
                case "RSA" -> rsa(kid, jwk.getAlgorithm(), (RSAPublicKey) jwk.getPublicKey());
                case "EC" -> ec(kid, jwk.getAlgorithm(), (ECPublicKey) jwk.getPublicKey());
                default -> throw new GeneralSecurityException("key " + kid + ": kty " + jwk.getType()
                        + " (expected: RSA or EC)");
            };
        } catch (InvalidPublicKeyException | IllegalArgumentException e) {
            throw new GeneralSecurityException("key " + kid + ": " + e.getMessage());
        }
    }

    private static Algorithm rsa(String kid, String alg, RSAPublicKey key) throws GeneralSecurityException {
        if (key.getModulus().bitLength() < MIN_RSA_BITS) {
            throw new GeneralSecurityException("key " + kid + ": RSA of " + key.getModulus().bitLength()
                    + " bits (expected: at least " + MIN_RSA_BITS + ")");
        }
        return switch (alg == null ? "RS256" : alg) {
            case "RS256" -> Algorithm.RSA256(key, null);
            case "RS384" -> Algorithm.RSA384(key, null);
            case "RS512" -> Algorithm.RSA512(key, null);
            default -> throw new GeneralSecurityException("key " + kid + ": alg " + alg
                    + " (expected: RS256, RS384 or RS512 for an RSA key)");
        };
    }

    private static Algorithm ec(String kid, String alg, ECPublicKey key) throws GeneralSecurityException {
        int bits = key.getParams().getCurve().getField().getFieldSize();
        String expected = switch (bits) {
            case 256 -> "ES256";
            case 384 -> "ES384";
            case 521 -> "ES512";
            default -> throw new GeneralSecurityException("key " + kid + ": an EC curve of " + bits
                    + " bits (expected: P-256, P-384 or P-521)");
        };
        if (alg != null && !alg.equals(expected)) {
            throw new GeneralSecurityException("key " + kid + ": alg " + alg + " on a " + bits
                    + "-bit curve (expected: " + expected + ")");
        }
        return switch (expected) {
            case "ES256" -> Algorithm.ECDSA256(key, null);
            case "ES384" -> Algorithm.ECDSA384(key, null);
            default -> Algorithm.ECDSA512(key, null);
        };
    }
}
