package io.frontier.edge.internal.transport.ws;

import io.frontier.api.v1.ClientType;
import io.frontier.edge.internal.auth.AuthException;
import io.frontier.edge.internal.auth.Credentials;
import io.frontier.edge.internal.session.SessionContext;
import io.frontier.protocol.StatusCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of the WebSocket listener: serves the browser page at {@code /}, and
 * authenticates {@code GET /ws} before the upgrade (PROTOCOL.md 2.1): a request that
 * fails gets an HTTP error and no WebSocket. Once the device is authenticated it hands
 * the request on to the handshake and leaves the pipeline.
 */
final class WsUpgradeHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(WsUpgradeHandler.class);
    static final String WS_PATH = "/ws";

    private final SessionContext context;
    private final WsEndpoint endpoint;
    private final Set<String> allowedOrigins;
    private final WebPage page;
    private boolean authenticating;

    WsUpgradeHandler(SessionContext context, WsEndpoint endpoint, WebPage page) {
        this.context = context;
        this.endpoint = endpoint;
        this.allowedOrigins = Set.copyOf(context.config().ws().allowedOrigins());
        this.page = page;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (!ctx.channel().isWritable()) {
            // Requests pipelined faster than their answers are read: nothing more is queued for this client.
            request.release();
            log.info("conn {}: closing: HTTP requests pipelined faster than the answers are read",
                    SessionContext.clientAddr(ctx.channel()));
            ctx.close();
            return;
        }
        if (authenticating) {
            // A pipelined request behind the upgrade: nothing may come before the handshake's answer.
            request.release();
            return;
        }
        if (request.decoderResult().isFailure()) {
            respond(ctx, request, HttpResponseStatus.BAD_REQUEST,
                    "malformed HTTP request: " + request.decoderResult().cause().getMessage());
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String path = uri.path();
        if (path.equals("/") || path.equals("/index.html")) {
            servePage(ctx, request);
        } else if (path.equals(WS_PATH)) {
            upgrade(ctx, request, uri);
        } else {
            respond(ctx, request, HttpResponseStatus.NOT_FOUND, "not found: the WebSocket endpoint is " + WS_PATH);
        }
    }

    private void servePage(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!request.method().equals(HttpMethod.GET) && !request.method().equals(HttpMethod.HEAD)) {
            respond(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, "use GET");
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        boolean head = request.method().equals(HttpMethod.HEAD);
        request.release();
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                head ? Unpooled.EMPTY_BUFFER : page.content());
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "text/html; charset=utf-8")
                .set(HttpHeaderNames.CACHE_CONTROL, "no-cache")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, page.length());
        write(ctx, response, keepAlive);
    }

    private void upgrade(ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder uri) {
        int refusal = endpoint.refusal();
        if (refusal != 0) {
            respond(ctx, request, HttpResponseStatus.valueOf(refusal), endpoint.refusalReason(refusal));
            return;
        }
        if (!request.method().equals(HttpMethod.GET)) {
            respond(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, "use GET with a WebSocket upgrade");
            return;
        }
        if (!request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
            respond(ctx, request, HttpResponseStatus.BAD_REQUEST, "expected a WebSocket upgrade");
            return;
        }
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        if (origin != null && !allowedOrigins.isEmpty() && !allowedOrigins.contains(origin)) {
            respond(ctx, request, HttpResponseStatus.FORBIDDEN, "origin not allowed: " + origin);
            return;
        }
        String token = token(request, uri);
        if (token == null) {
            respond(ctx, request, HttpResponseStatus.UNAUTHORIZED,
                    "no token: send Authorization: Bearer <token> or the token query parameter");
            return;
        }
        String appVersion = first(uri, "app_version");
        Credentials credentials = new Credentials(token, first(uri, "device_id"), ClientType.CLIENT_TYPE_WS,
                SessionContext.clientAddr(ctx.channel()), appVersion);
        authenticating = true;
        // Nothing more is read until the device is known: a WebSocket frame must not arrive before the handshake.
        ctx.channel().config().setAutoRead(false);
        context.authenticate(ctx.channel(), credentials, (identity, refused) -> {
            authenticating = false;
            if (refused != null) {
                ctx.channel().config().setAutoRead(true);
                respond(ctx, request, httpStatus(refused), refused.getMessage());
                return;
            }
            if (!ctx.channel().isActive()) {
                request.release();
                return;
            }
            String full = endpoint.authenticated(identity, appVersion);
            if (full != null) {
                ctx.channel().config().setAutoRead(true);
                respond(ctx, request, HttpResponseStatus.TOO_MANY_REQUESTS, full);
                return;
            }
            ctx.pipeline().remove(this);
            ctx.fireChannelRead(request);
            ctx.channel().config().setAutoRead(true);
        });
    }

    private static String token(FullHttpRequest request, QueryStringDecoder uri) {
        String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = authorization.substring(7).trim();
            return token.isEmpty() ? null : token;
        }
        String token = first(uri, "token");
        return token.isEmpty() ? null : token;
    }

    private static String first(QueryStringDecoder uri, String name) {
        List<String> values = uri.parameters().get(name);
        return values == null || values.isEmpty() ? "" : values.get(0);
    }

    private static HttpResponseStatus httpStatus(AuthException refused) {
        return switch (refused.code()) {
            case StatusCode.BAD_GATEWAY -> HttpResponseStatus.BAD_GATEWAY;
            case StatusCode.GATEWAY_TIMEOUT -> HttpResponseStatus.GATEWAY_TIMEOUT;
            case StatusCode.INTERNAL -> HttpResponseStatus.INTERNAL_SERVER_ERROR;
            default -> HttpResponseStatus.UNAUTHORIZED;
        };
    }

    private void respond(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status, String reason) {
        request.release();
        if (status.code() == HttpResponseStatus.TOO_MANY_REQUESTS.code()) {
            // A flood from one address is what the limits refuse: a line each would flood the log too.
            log.debug("conn {}: HTTP 429 before the upgrade: {}", SessionContext.clientAddr(ctx.channel()), reason);
        } else if (status.code() != HttpResponseStatus.NOT_FOUND.code()) {
            log.info("conn {}: HTTP {} before the upgrade: {}", SessionContext.clientAddr(ctx.channel()), status.code(), reason);
        }
        ByteBuf body = Unpooled.copiedBuffer(reason + "\n", StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        write(ctx, response, false);
    }

    private static void write(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive) {
        if (keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(response);
        } else {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
