package io.frontier.bench;

import java.util.concurrent.TimeUnit;

/**
 * A server's HTTP push API as the generator uses it: {@code POST PUSH_PREFIX<device id>} to one
 * device, {@code POST BROADCAST_PATH} to all; the connections open on first use.
 */
final class HttpPushApi implements AutoCloseable {
    private final int port;
    private final String pushPrefix;
    private final String broadcastPath;
    private HttpPoster poster;

    HttpPushApi(int port, String pushPrefix, String broadcastPath) {
        this.port = port;
        this.pushPrefix = pushPrefix;
        this.broadcastPath = broadcastPath;
    }

    HttpPoster poster() throws InterruptedException {
        if (poster == null) {
            poster = new HttpPoster(port, 4);
        }
        return poster;
    }

    Pusher.Sender sender() throws InterruptedException {
        return new HttpPushSender(poster(), i -> pushPrefix + Credentials.deviceId(i));
    }

    /** Returns once the server answered the broadcast (or after 60 s). */
    void broadcast(byte[] payload) throws Exception {
        poster().post(broadcastPath, payload).get(60, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (poster != null) {
            poster.close();
        }
    }
}
