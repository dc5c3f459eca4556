package io.frontier.edge.internal.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Time is the test's: every call says when it happens. */
class ConnectRatesTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private final ConnectRates rates = new ConnectRates(10, 3);

    @Test
    void anAddressHasItsBurstAtOnce_thenConnectsAtItsRate() throws UnknownHostException {
        InetAddress a = InetAddress.getByName("192.0.2.1");
        for (int i = 0; i < 3; i++) {
            assertThat(rates.tryConnect(a, 0)).as("connect %d of the burst", i + 1).isTrue();
        }
        assertThat(rates.tryConnect(a, 0)).as("one past the burst").isFalse();
        assertThat(rates.tryConnect(a, 99 * MS)).as("before a tenth of a second").isFalse();
        assertThat(rates.tryConnect(a, 100 * MS)).as("after a tenth of a second").isTrue();
        assertThat(rates.tryConnect(a, 100 * MS)).isFalse();

        assertThat(rates.tryConnect(a, 400 * MS)).as("refused connects took nothing").isTrue();
        assertThat(rates.tryConnect(a, 400 * MS)).isTrue();
        assertThat(rates.tryConnect(a, 400 * MS)).isTrue();
        assertThat(rates.tryConnect(a, 400 * MS)).as("never more than the burst").isFalse();
    }

    @Test
    void addressesHaveABucketEach() throws UnknownHostException {
        exhaust(InetAddress.getByName("192.0.2.1"));

        assertThat(rates.tryConnect(InetAddress.getByName("192.0.2.2"), 0)).isTrue();
    }

    @Test
    void aFloodFromManyAddresses_neitherGrowsTheTable_norFreesAnAddressOverItsRate() throws UnknownHostException {
        ConnectRates small = new ConnectRates(10, 3, 4, 7);
        InetAddress flooder = InetAddress.getByName("198.51.100.7");
        for (int i = 0; i < 3; i++) {
            small.tryConnect(flooder, 0);
        }
        for (int i = 0; i < 100_000; i++) {
            small.tryConnect(address(i), 0);
        }

        assertThat(small.tryConnect(flooder, 0)).as("still over its rate").isFalse();
    }

    @Test
    void anAddressSharingOneSlotWithAFlooder_isStillServed() throws UnknownHostException {
        ConnectRates small = new ConnectRates(10, 3, 64, 7);
        InetAddress flooder = InetAddress.getByName("198.51.100.7");
        AddressSlots slots = new AddressSlots(64, 7);
        long key = AddressSlots.key(flooder);
        InetAddress neighbour = null;
        for (int i = 0; neighbour == null; i++) {
            long other = AddressSlots.key(address(i));
            if (slots.first(other) == slots.first(key) && slots.second(other) != slots.second(key)) {
                neighbour = address(i);
            }
        }
        for (int i = 0; i < 100; i++) {
            small.tryConnect(flooder, 0);
        }

        assertThat(small.tryConnect(neighbour, 0)).isTrue();
        assertThat(small.tryConnect(flooder, 0)).isFalse();
    }

    private void exhaust(InetAddress address) {
        for (int i = 0; i < 3; i++) {
            assertThat(rates.tryConnect(address, 0)).isTrue();
        }
        assertThat(rates.tryConnect(address, 0)).isFalse();
    }

    static InetAddress address(int i) throws UnknownHostException {
        return InetAddress.getByAddress(new byte[] {10, (byte) (i >>> 16), (byte) (i >>> 8), (byte) i});
    }
}
