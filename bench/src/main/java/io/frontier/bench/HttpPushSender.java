package io.frontier.bench;

import java.util.function.IntFunction;

/** Pushes as HTTP POSTs of the payload to a per-device path (nchan's {@code /pub/d<i>}, the Node server's {@code /push/d<i>}). */
final class HttpPushSender implements Pusher.Sender {
    private final HttpPoster poster;
    private final IntFunction<String> path;

    HttpPushSender(HttpPoster poster, IntFunction<String> path) {
        this.poster = poster;
        this.path = path;
    }

    @Override
    public void send(int device, byte[] payload, Pusher.Run run) {
        poster.post(path.apply(device), payload, (status, body) -> {
            if (status / 100 == 2) {
                run.delivered();
            } else if (status < 0) {
                run.error(body);
            } else {
                run.count("HTTP " + status);
            }
            run.done();
        });
    }

    /** The poster belongs to the server it posts to, which closes it. */
    @Override
    public void close() {
    }
}
