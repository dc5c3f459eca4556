package io.frontier.bench;

import java.util.Map;

/**
 * The bare-Netty baseline ({@link BaselineServer}): the gateway's devices and frames with nothing
 * of the gateway between them; pushes through its HTTP port ({@link BaselinePushes}) when the
 * scenario pushes.
 */
final class BaselineContender extends JvmContender {
    private final HttpPushApi api;

    BaselineContender(Args args, Map<String, String> env, boolean pushes) throws Exception {
        super(ServerProcess.baseline(Main.jvmOpts(args), Gateway.ioTransport(args), env, pushes));
        this.api = new HttpPushApi(process.grpcPort, "/push/", "/broadcast");
    }

    @Override
    public LoadGenerator devices(Args args, LoadGenerator.Protocol protocol, boolean broadcast) {
        return generator(args, protocol, false);
    }

    @Override
    public HttpPushApi httpApi() {
        return api;
    }

    @Override
    public void close() throws Exception {
        api.close();
        super.close();
    }
}
