package io.frontier.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Pushes as MQTT PUBLISHes at QoS 0 to device {@code i}'s topic, over one connection to the
 * broker. QoS 0 has no reply: a push counts as delivered once written, and only its arrival at
 * the device says more.
 */
final class MqttPushSender implements Pusher.Sender {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("bench-mqtt", true),
            NioIoHandler.newFactory());
    private final Channel channel;

    MqttPushSender(int port) throws Exception {
        CompletableFuture<MqttConnectReturnCode> connected = new CompletableFuture<>();
        channel = new Bootstrap().group(group).channel(NioSocketChannel.class).option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new MqttDecoder(), MqttEncoder.INSTANCE,
                                new SimpleChannelInboundHandler<MqttConnAckMessage>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, MqttConnAckMessage ack) {
                                        connected.complete(ack.variableHeader().connectReturnCode());
                                    }
                                });
                    }
                }).connect("127.0.0.1", port).sync().channel();
        channel.writeAndFlush(MqttMessageBuilders.connect().clientId("bench-publisher")
                .protocolVersion(MqttVersion.MQTT_3_1_1).cleanSession(true).keepAlive(0).build());
        MqttConnectReturnCode code = connected.get(10, TimeUnit.SECONDS);
        if (code != MqttConnectReturnCode.CONNECTION_ACCEPTED) {
            throw new IllegalStateException("mosquitto refused the publisher: " + code);
        }
    }

    @Override
    public void send(int device, byte[] payload, Pusher.Run run) {
        channel.writeAndFlush(MqttMessageBuilders.publish().topicName(MqttSubscriber.topic(device))
                .qos(MqttQoS.AT_MOST_ONCE).payload(Unpooled.wrappedBuffer(payload)).build()).addListener(f -> {
                    if (f.isSuccess()) {
                        run.delivered();
                    } else {
                        run.error("publish not written: " + f.cause());
                    }
                    run.done();
                });
    }

    @Override
    public void close() throws InterruptedException {
        channel.close().await(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    }
}
