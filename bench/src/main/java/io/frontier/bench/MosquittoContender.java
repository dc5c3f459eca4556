package io.frontier.bench;

import java.util.List;

/**
 * mosquitto ({@code bench/peers/mosquitto/mosquitto.conf.template}), the TCP peer: devices are MQTT
 * clients subscribed to their own topic ({@link MqttSubscriber}), pushes are QoS 0 PUBLISHes
 * ({@link MqttPushSender}). No broadcast scenario runs against it.
 */
final class MosquittoContender extends PeerContender {
    MosquittoContender(int port) throws Exception {
        super("mosquitto", port, null, dir -> {
            fill("mosquitto/mosquitto.conf.template", port, dir.resolve("mosquitto.conf"));
            return List.of("mosquitto", "-c", dir.resolve("mosquitto.conf").toString());
        });
    }

    @Override
    public int cores() {
        return 1; // one thread
    }

    @Override
    public LoadGenerator devices(Args args, LoadGenerator.Protocol protocol, boolean broadcast) {
        return generator(args, protocol, new MqttSubscriber());
    }

    @Override
    public Pusher.Sender pushes() throws Exception {
        return new MqttPushSender(server.port);
    }

    @Override
    public void broadcast(byte[] payload) {
        throw new UnsupportedOperationException("mosquitto runs the TCP scenarios only");
    }
}
