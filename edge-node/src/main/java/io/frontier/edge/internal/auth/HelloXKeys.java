package io.frontier.edge.internal.auth;

import io.frontier.edge.tls.FileReloads;
import io.frontier.protocol.hellox.HelloX;
import io.frontier.protocol.hellox.X25519;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.XECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The edge's static X25519 keys for HelloX (PROTOCOL.md 1.6), by key id: a PEM file of PKCS#8 private keys, as
 * {@code openssl genpkey -algorithm X25519} writes them. Several at once let an operator rotate: add the new key,
 * ship devices that pin it, then drop the old one. The file is read again when it changes; a file that cannot be
 * used keeps the keys read before. Thread-safe.
 */
public final class HelloXKeys implements AutoCloseable {
    /** Keys a file may hold at most: a few for rotation, not a store. */
    static final int MAX_KEYS = 8;
    /** The largest file read. */
    static final long MAX_FILE_BYTES = 64 * 1024;
    /** How often the file is checked for a change. */
    static final Duration RELOAD_CHECK = Duration.ofSeconds(10);
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

    /** One static key pair and its id. */
    public record Key(byte[] id, byte[] privateKey, byte[] publicKey) {
        /** Returns the id and the public key in hex, as an operator gives them to devices. */
        public String describe() {
            HexFormat hex = HexFormat.of();
            return "key id " + hex.formatHex(id) + ", public key " + hex.formatHex(publicKey);
        }
    }

    private final SecureRandom random = new SecureRandom();
    private volatile Map<Integer, Key> byId = Map.of();
    private volatile List<Key> keys = List.of();
    private FileReloads reloads;

    private HelloXKeys() {
    }

    /**
     * Reads {@code file} now and checks it for a change every {@code check}.
     *
     * @throws IllegalArgumentException when the file cannot be used, saying what was expected
     */
    public static HelloXKeys start(Path file, Duration check) {
        HelloXKeys keys = new HelloXKeys();
        try {
            keys.reloads = FileReloads.start("the HelloX keys", List.of(file), check, () -> keys.load(file));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("helloXKeys: cannot use " + file + " (expected: 1.." + MAX_KEYS
                    + " X25519 private keys, PEM PKCS#8, as openssl genpkey -algorithm X25519 writes): "
                    + e.getMessage(), e);
        }
        return keys;
    }

    /** {@link #start(Path, Duration)} checking every {@link #RELOAD_CHECK}. */
    public static HelloXKeys start(Path file) {
        return start(file, RELOAD_CHECK);
    }

    /** Returns keys made of raw private keys, which never change: for tests. */
    public static HelloXKeys of(List<byte[]> privateKeys) {
        HelloXKeys keys = new HelloXKeys();
        keys.use(privateKeys.stream().map(HelloXKeys::pair).toList());
        return keys;
    }

    /** Returns the key of {@code id} (4 bytes, big-endian), or null when this edge holds none. */
    public Key find(int id) {
        return byId.get(id);
    }

    /** Returns the keys, in the file's order. */
    public List<Key> keys() {
        return keys;
    }

    /** Returns a fresh ephemeral private key. */
    public byte[] ephemeral() {
        return X25519.generatePrivate(random);
    }

    @Override
    public void close() {
        if (reloads != null) {
            reloads.close();
        }
    }

    private String load(Path file) throws IOException, GeneralSecurityException {
        List<Key> read = read(file);
        use(read);
        return read.size() + (read.size() == 1 ? " key" : " keys");
    }

    private void use(List<Key> read) {
        Map<Integer, Key> index = new HashMap<>();
        for (Key key : read) {
            index.put(intId(key.id()), key);
        }
        byId = Map.copyOf(index);
        keys = List.copyOf(read);
    }

    /**
     * Reads the keys of a PEM file.
     *
     * @throws GeneralSecurityException when it holds none, too many, a key that is not X25519, or one twice
     */
    static List<Key> read(Path file) throws IOException, GeneralSecurityException {
        if (Files.size(file) > MAX_FILE_BYTES) {
            throw new GeneralSecurityException(file + " is over " + MAX_FILE_BYTES + " bytes");
        }
        Matcher blocks = PEM.matcher(Files.readString(file, StandardCharsets.US_ASCII));
        List<Key> keys = new ArrayList<>();
        KeyFactory factory = KeyFactory.getInstance("XDH");
        while (blocks.find()) {
            if (keys.size() == MAX_KEYS) {
                throw new GeneralSecurityException(file + " holds over " + MAX_KEYS + " keys");
            }
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(blocks.group(1));
            } catch (IllegalArgumentException e) {
                throw new GeneralSecurityException("key " + (keys.size() + 1) + " is not base64");
            }
            PrivateKey key = factory.generatePrivate(new PKCS8EncodedKeySpec(der));
            if (!(key instanceof XECPrivateKey xec)
                    || !(xec.getParams() instanceof NamedParameterSpec named)
                    || !named.getName().equalsIgnoreCase("X25519")
                    || xec.getScalar().isEmpty()) {
                throw new GeneralSecurityException("key " + (keys.size() + 1) + " is not an X25519 private key");
            }
            Key pair = pair(xec.getScalar().get());
            for (Key other : keys) {
                if (intId(other.id()) == intId(pair.id())) {
                    throw new GeneralSecurityException("two keys of key id " + HelloX.keyIdHex(pair.id()));
                }
            }
            keys.add(pair);
        }
        if (keys.isEmpty()) {
            throw new GeneralSecurityException(file + " holds no \"-----BEGIN PRIVATE KEY-----\" block");
        }
        return keys;
    }

    private static Key pair(byte[] privateKey) {
        byte[] publicKey = X25519.publicKey(privateKey);
        return new Key(HelloX.keyId(publicKey), privateKey.clone(), publicKey);
    }

    private static int intId(byte[] id) {
        return (id[0] & 0xFF) << 24 | (id[1] & 0xFF) << 16 | (id[2] & 0xFF) << 8 | id[3] & 0xFF;
    }
}
