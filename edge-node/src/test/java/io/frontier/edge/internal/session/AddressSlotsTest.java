package io.frontier.edge.internal.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class AddressSlotsTest {
    @Test
    void anIpv4AddressIsKnownWhole_anIpv6AddressByItsNetwork() throws UnknownHostException {
        assertThat(key("192.0.2.1")).isNotEqualTo(key("192.0.2.2"));
        assertThat(key("2001:db8:1:2::1")).as("the same /64").isEqualTo(key("2001:db8:1:2:ffff::9"));
        assertThat(key("2001:db8:1:2::1")).as("another /64").isNotEqualTo(key("2001:db8:1:3::1"));
        assertThat(key("192.0.2.1")).as("no IPv6 network's").isNotEqualTo(key("::c000:201"));
    }

    @Test
    void anAddressHasOneSlotInEachRow_thatOtherSeedsMove() throws UnknownHostException {
        AddressSlots slots = new AddressSlots(1024, 1);
        long key = key("192.0.2.1");

        assertThat(slots.size()).isEqualTo(2048);
        assertThat(slots.first(key)).isBetween(0, 1023);
        assertThat(slots.second(key)).isBetween(1024, 2047);
        boolean moved = false;
        for (long seed = 2; seed < 10 && !moved; seed++) {
            moved = new AddressSlots(1024, seed).first(key) != slots.first(key);
        }
        assertThat(moved).as("the slot depends on the seed").isTrue();
    }

    @Test
    void aRowOfOtherThanAPowerOfTwo_isRefused() {
        assertThatThrownBy(() -> new AddressSlots(1000, 1)).hasMessageContaining("a power of two");
        assertThatThrownBy(() -> new AddressSlots(1, 1)).hasMessageContaining("at least 2");
    }

    private static long key(String address) throws UnknownHostException {
        return AddressSlots.key(InetAddress.getByName(address));
    }
}
