package io.frontier.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A loopback port that answers each connection as a device port of the gateway would answer
 * a gRPC client: with {@code answer} (a TCP Bye, or an HTTP/1.1 error), then a close.
 */
final class NotGrpcPort implements AutoCloseable {
    private final ServerSocket server;
    private final ExecutorService acceptor = Executors.newSingleThreadExecutor();

    NotGrpcPort(byte[] answer) throws IOException {
        server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        acceptor.execute(() -> {
            while (!server.isClosed()) {
                try (Socket socket = server.accept()) {
                    InputStream in = socket.getInputStream();
                    in.read(new byte[64]);
                    OutputStream out = socket.getOutputStream();
                    out.write(answer);
                    out.flush();
                } catch (SocketException closed) {
                    return;
                } catch (IOException e) {
                    // The client left first: the next connection is answered the same.
                }
            }
        });
    }

    String target() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        server.close();
        acceptor.shutdown();
        if (!acceptor.awaitTermination(5, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the acceptor of " + target() + " did not stop");
        }
    }
}
