package io.frontier.discovery;

import io.etcd.jetcd.ByteSequence;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Builds every etcd key of discovery, {@code <namespace>/<kind>/<id>}, and reads ids back from
 * keys, so that the layout lives in one place.
 */
final class EtcdKeys {
    private static final Pattern KIND = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    private static final Pattern ID = Pattern.compile("[^/\\s\\p{Cntrl}]{1,128}");

    private final String namespace;

    EtcdKeys(String namespace) {
        this.namespace = namespace;
    }

    /** Returns {@code <namespace>/<kind>/}, the prefix of every entry of {@code kind}. */
    ByteSequence prefix(String kind) {
        return utf8(prefixString(kind));
    }

    /** Returns {@code <namespace>/<kind>/<id>}. */
    ByteSequence key(String kind, String id) {
        checkId(id);
        return utf8(prefixString(kind) + id);
    }

    /** Returns the id that {@code key} names under {@code kind}, or null when the key is not one of ours. */
    String idOf(String kind, ByteSequence key) {
        String full = key.toString(StandardCharsets.UTF_8);
        String prefix = prefixString(kind);
        if (!full.startsWith(prefix)) {
            return null;
        }
        String id = full.substring(prefix.length());
        return ID.matcher(id).matches() ? id : null;
    }

    /** Returns a readable name of the entry, for logs. */
    String describe(String kind, String id) {
        return prefixString(kind) + id;
    }

    static void checkKind(String kind) {
        if (kind == null || !KIND.matcher(kind).matches()) {
            throw new IllegalArgumentException("kind: " + kind
                    + " (expected: 1 to 64 lower-case letters, digits or '-', such as edges)");
        }
    }

    static void checkId(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("id: " + id + " (expected: 1 to 128 characters, no '/' or whitespace)");
        }
    }

    private String prefixString(String kind) {
        checkKind(kind);
        return namespace + "/" + kind + "/";
    }

    static ByteSequence utf8(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }
}
