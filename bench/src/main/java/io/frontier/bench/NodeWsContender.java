package io.frontier.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The minimal Node push server ({@code bench/peers/node-ws/server.js}, one process): devices
 * connect with {@code ?id=d<i>}, pushes are {@code POST /push/d<i>} and {@code POST /broadcast}.
 */
final class NodeWsContender extends PeerContender {
    NodeWsContender(int port) throws Exception {
        super("node-ws", port, new HttpPushApi(port, "/push/", "/broadcast"), dir -> {
            Path js = peers().resolve("node-ws/server.js");
            if (!Files.isDirectory(js.resolveSibling("node_modules/ws"))) {
                throw new IllegalStateException("no node_modules in bench/peers/node-ws: run bench/peers/install");
            }
            return List.of("node", "--expose-gc", js.toString(), "" + port);
        });
    }

    @Override
    public int cores() {
        return 1; // one JavaScript thread
    }

    @Override
    public LoadGenerator devices(Args args, LoadGenerator.Protocol protocol, boolean broadcast) {
        return generator(args, protocol, new WsSubscriber(i -> "/?id=" + Credentials.deviceId(i)));
    }

    /** After a full GC of V8's heap, as the JVMs' figures follow full GCs. */
    @Override
    public long memoryBytes() throws Exception {
        api.poster().post("/gc", new byte[0]).get();
        return super.memoryBytes();
    }
}
