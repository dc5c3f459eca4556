package io.frontier.bench;

import java.nio.file.Files;
import java.util.List;

/**
 * nginx with nchan ({@code bench/peers/nchan/nginx.conf.template}): devices subscribe over WebSocket
 * to their own channel ({@code /sub/d<i>}), or for a broadcast all to one channel ({@code /sub/all});
 * pushes are HTTP POSTs to {@code /pub/CHANNEL}.
 */
final class NchanContender extends PeerContender {
    NchanContender(int port) throws Exception {
        super("nchan", port, new HttpPushApi(port, "/pub/", "/pub/all"), dir -> {
            Files.createDirectories(dir.resolve("logs"));
            Files.createDirectories(dir.resolve("tmp"));
            fill("nchan/nginx.conf.template", port, dir.resolve("nginx.conf"));
            return List.of("nginx", "-p", dir + "/", "-c", dir.resolve("nginx.conf").toString(), "-g", "daemon off;");
        });
    }

    @Override
    public int cores() {
        return Runtime.getRuntime().availableProcessors(); // worker_processes auto
    }

    @Override
    public LoadGenerator devices(Args args, LoadGenerator.Protocol protocol, boolean broadcast) {
        return generator(args, protocol, new WsSubscriber(i -> broadcast ? "/sub/all" : "/sub/" + Credentials.deviceId(i)));
    }
}
