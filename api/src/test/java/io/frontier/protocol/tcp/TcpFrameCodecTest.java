package io.frontier.protocol.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frontier.api.v1.Bye;
import io.frontier.api.v1.TcpHello;
import io.frontier.api.v1.TcpRequest;
import io.frontier.protocol.StatusCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The codec against the test vectors of PROTOCOL.md 1.5. */
class TcpFrameCodecTest {
    private final EmbeddedChannel channel = new EmbeddedChannel(new TcpFrameDecoder(16384), TcpFrameEncoder.INSTANCE);

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private static ByteBuf hex(String hex) {
        return Unpooled.wrappedBuffer(HexFormat.of().parseHex(hex.replace(" ", "")));
    }

    private static String hexOf(ByteBuf buf) {
        try {
            return ByteBufUtil.hexDump(buf);
        } finally {
            buf.release();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "'Ping, seq 7', 02 0007 0000, 2, 7, ''",
        "'Null, seq 0', 00 0000 0000, 0, 0, ''",
        "'Ack of push seq 1', 03 0001 0000, 3, 1, ''",
        "'Hello', 01 0001 0006 0a0174 120164, 1, 1, 0a0174120164",
        "'Data', 0a 0002 0007 08e907 12026869, 10, 2, 08e90712026869",
        "'Bye 408 idle', 0f 0000 0009 089803 120469646c65, 15, 0, 089803120469646c65",
    })
    void vector_decodesAndEncodesBack(String what, String bytes, int cmd, int seq, String payload) {
        assertThat(channel.writeInbound(hex(bytes))).isTrue();
        TcpFrame frame = channel.readInbound();
        try {
            assertThat(frame.cmd()).isEqualTo(cmd);
            assertThat(frame.seq()).isEqualTo(seq);
            assertThat(ByteBufUtil.hexDump(frame.content())).isEqualTo(payload);
            assertThat(channel.writeOutbound(frame.retain())).isTrue();
            assertThat(hexOf(channel.readOutbound())).isEqualTo(bytes.replace(" ", ""));
        } finally {
            frame.release();
        }
    }

    @Test
    void vectors_matchTheProtobufMessages() throws Exception {
        TcpHello hello = TcpHello.parseFrom(HexFormat.of().parseHex("0a0174120164"));
        assertThat(hello.getToken()).isEqualTo("t");
        assertThat(hello.getDeviceId()).isEqualTo("d");
        TcpRequest request = TcpRequest.parseFrom(HexFormat.of().parseHex("08e90712026869"));
        assertThat(request.getService()).isEqualTo(1001);
        assertThat(request.getPayload().toStringUtf8()).isEqualTo("hi");
        assertThat(Bye.newBuilder().setCode(408).setReason("idle").build().toByteArray())
                .isEqualTo(HexFormat.of().parseHex("089803120469646c65"));
    }

    @Test
    void stream_splitAtEveryByte_reassembles() {
        byte[] bytes = HexFormat.of().parseHex("0a0002000708e90712026869" + "020007" + "0000");
        for (byte b : bytes) {
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        TcpFrame data = channel.readInbound();
        TcpFrame ping = channel.readInbound();
        assertThat(data.cmd()).isEqualTo(TcpCommand.DATA);
        assertThat(data.content().readableBytes()).isEqualTo(7);
        assertThat(ping.cmd()).isEqualTo(TcpCommand.PING);
        assertThat(ping.seq()).isEqualTo(7);
        assertThat((Object) channel.readInbound()).isNull();
        data.release();
        ping.release();
    }

    @Test
    void stream_coalescedFrames_allDecoded() {
        channel.writeInbound(hex("02 0001 0000 02 0002 0000 00 0000 0000"));
        for (int seq : new int[] {1, 2, 0}) {
            TcpFrame frame = channel.readInbound();
            assertThat(frame.seq()).isEqualTo(seq);
            frame.release();
        }
    }

    @Test
    void unknownCmd_fails400_andDiscardsTheRest() {
        assertThatThrownBy(() -> channel.writeInbound(hex("05 0001 0000")))
                .isInstanceOf(TcpProtocolException.class)
                .satisfies(e -> assertThat(((TcpProtocolException) e).code()).isEqualTo(StatusCode.BAD_REQUEST));
        channel.writeInbound(hex("02 0007 0000"));
        assertThat((Object) channel.readInbound()).isNull();
    }

    @Test
    void oversizedLength_fails413_beforeThePayloadArrives() {
        EmbeddedChannel small = new EmbeddedChannel(new TcpFrameDecoder(16));
        assertThatThrownBy(() -> small.writeInbound(hex("0a 0001 0011")))
                .isInstanceOf(TcpProtocolException.class)
                .satisfies(e -> assertThat(((TcpProtocolException) e).code()).isEqualTo(StatusCode.TOO_LARGE));
        small.finishAndReleaseAll();
    }

    @Test
    void lengthAtTheLimit_isAccepted() {
        EmbeddedChannel small = new EmbeddedChannel(new TcpFrameDecoder(2));
        small.writeInbound(hex("08 0001 0002 6869"));
        TcpFrame frame = small.readInbound();
        assertThat(frame.payloadBytes()).containsExactly('h', 'i');
        frame.release();
        small.finishAndReleaseAll();
    }

    @Test
    void decoderLimit_outsideU16_isRefused() {
        assertThatThrownBy(() -> new TcpFrameDecoder(65536)).hasMessage("maxPayloadLength: 65536 (expected: 0..65535)");
    }

    @Test
    void frame_seqOutsideU16_isRefused() {
        assertThatThrownBy(() -> TcpFrame.empty(TcpCommand.PUSH, 65536)).hasMessage("seq: 65536 (expected: 0..65535)");
    }
}
