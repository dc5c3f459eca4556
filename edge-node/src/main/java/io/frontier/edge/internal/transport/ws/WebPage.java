package io.frontier.edge.internal.transport.ws;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The browser page served at {@code /}, read once from the classpath. */
final class WebPage {
    private static final String RESOURCE = "index.html";

    private final ByteBuf content;

    private WebPage(byte[] bytes) {
        this.content = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(bytes));
    }

    static WebPage load() {
        try (InputStream in = WebPage.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the edge's jar lacks " + RESOURCE + " next to " + WebPage.class.getName());
            }
            return new WebPage(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns the page for one response; each caller gets its own view of the shared bytes. */
    ByteBuf content() {
        return content.duplicate();
    }

    int length() {
        return content.readableBytes();
    }
}
