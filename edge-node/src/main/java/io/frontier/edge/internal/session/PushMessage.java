package io.frontier.edge.internal.session;

import io.netty.buffer.ByteBuf;

/**
 * One push as an edge writes it to devices. The payload buffer is shared by every
 * connection the push goes to: each write takes a retained duplicate, and the
 * creator releases its own reference when it has handed the push to every session.
 */
public record PushMessage(ByteBuf payload, String payloadType, int service, long logid) {
}
