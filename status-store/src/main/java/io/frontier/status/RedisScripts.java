package io.frontier.status;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The Lua scripts of {@link RedisUserStatus}, each {@code prelude.lua} followed by its body, read from the
 * resources beside this class. Every script touches one key, because Redis Cluster refuses a script whose
 * keys are in more than one slot. Device reads need no script: they are plain commands ({@link DeviceReads}).
 */
final class RedisScripts {

    /** Judges a reported connection as ConnectionOrder does, records it if it wins, refreshes the TTL. */
    static final String CONNECT = load("connect.lua");
    /** Removes an entry only if it still names the disconnected connection; returns the removed entry. */
    static final String DISCONNECT = load("disconnect.lua");
    /** Removes an entry found through an index record, only if it still names that connection and edge. */
    static final String REMOVE_CHECKED = load("remove-checked.lua");
    /** One HSCAN step over an edge index. */
    static final String SCAN = load("scan.lua");

    private RedisScripts() {
    }

    private static String load(String name) {
        return resource("prelude.lua") + "\n" + resource(name);
    }

    private static String resource(String name) {
        String path = "redis/" + name;
        try (InputStream in = RedisScripts.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path + " beside " + RedisScripts.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
