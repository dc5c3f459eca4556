package io.frontier.acceptance;

import static io.frontier.acceptance.RawTcpDevice.BYE;
import static io.frontier.acceptance.RawTcpDevice.HELLO;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A gateway of the distribution started with {@code --max-connections-per-ip 2}: a third connection from one
 * address gets Bye 429 at its Hello and is closed, while a device of another address is served, and the address
 * has its place back once one of its connections closes.
 */
class ConnectionLimitsIT {
    private StandaloneGateway gateway;

    @BeforeEach
    void start() {
        gateway = StandaloneGateway.start("--max-connections-per-ip", "2");
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void thirdConnectionOfOneAddress_getsBye429_andOtherAddressesAreServed() throws UnknownHostException {
        InetAddress crowded = InetAddress.getByName("127.0.0.1");
        InetAddress other = InetAddress.getByName("127.0.0.2");
        try (RawTcpDevice first = online(crowded, "limit-a", "phone-1");
             RawTcpDevice second = online(crowded, "limit-a", "phone-2")) {
            try (RawTcpDevice third = RawTcpDevice.connectFrom(crowded, gateway.tcpPort())) {
                RawTcpDevice.Frame bye = third.hello(gateway.token("limit-a", "phone-3"), "phone-3");
                assertThat(bye.cmd()).isEqualTo(BYE);
                assertThat(bye.byeCode()).isEqualTo(429);
                assertThat(Protobuf.string(bye.fields(), 2)).isEqualTo("address holds its maximum of 2 connections");
                third.expectClosed();
            }
            online(other, "limit-b", "phone-4").close();

            first.close();

            // The gateway counts the closed connection out once it sees the close: retry until it has.
            awaitOnline(crowded);
        }
    }

    private RawTcpDevice online(InetAddress source, String user, String device) {
        RawTcpDevice d = RawTcpDevice.connectFrom(source, gateway.tcpPort());
        assertThat(d.hello(gateway.token(user, device), device).cmd()).as("Hello of %s", device).isEqualTo(HELLO);
        return d;
    }

    /** Connects from {@code source} until a Hello succeeds, within {@link RawTcpDevice#WAIT}. */
    private void awaitOnline(InetAddress source) {
        long deadline = System.nanoTime() + RawTcpDevice.WAIT.toNanos();
        while (true) {
            try (RawTcpDevice device = RawTcpDevice.connectFrom(source, gateway.tcpPort())) {
                RawTcpDevice.Frame reply = device.hello(gateway.token("limit-a", "phone-5"), "phone-5");
                if (reply.cmd() == HELLO) {
                    return;
                }
                assertThat(reply.byeCode()).as("refused with").isEqualTo(429);
            }
            assertThat(System.nanoTime()).as("the address's place back within %s", RawTcpDevice.WAIT)
                    .isLessThan(deadline);
        }
    }
}
