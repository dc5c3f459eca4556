package io.frontier.bench;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;

/**
 * A device of an MQTT broker (mosquitto), the feature-phone-like TCP peer: CONNECT with no
 * keep-alive (Frontier's idle devices do not ping either), SUBSCRIBE at QoS 0 to its own topic
 * {@link #topic}, online at the SUBACK; every PUBLISH is one push.
 */
final class MqttSubscriber implements LoadGenerator.DeviceAdapter {
    static String topic(int device) {
        return "d/" + device;
    }

    @Override
    public void initChannel(Channel ch, InetSocketAddress target, int device) {
        ch.pipeline().addLast(new MqttDecoder(), MqttEncoder.INSTANCE, new Session(device));
    }

    private static final class Session extends ChannelInboundHandlerAdapter {
        private final int device;

        Session(int device) {
            this.device = device;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(MqttMessageBuilders.connect().clientId(Credentials.deviceId(device))
                    .protocolVersion(MqttVersion.MQTT_3_1_1).cleanSession(true).keepAlive(0).build());
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof MqttPublishMessage publish) {
                ctx.fireChannelRead(publish.payload());
                return;
            }
            try {
                if (msg instanceof MqttConnAckMessage ack) {
                    if (ack.variableHeader().connectReturnCode() != MqttConnectReturnCode.CONNECTION_ACCEPTED) {
                        ctx.close();
                        return;
                    }
                    ctx.writeAndFlush(MqttMessageBuilders.subscribe().messageId(1)
                            .addSubscription(MqttQoS.AT_MOST_ONCE, topic(device)).build());
                } else if (msg instanceof MqttSubAckMessage) {
                    ctx.fireUserEventTriggered(LoadGenerator.ONLINE);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
