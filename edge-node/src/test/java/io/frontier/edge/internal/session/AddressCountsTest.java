package io.frontier.edge.internal.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class AddressCountsTest {
    private final AddressCounts counts = new AddressCounts(2);

    @Test
    void anAddressHoldsItsMaximum_andGetsAPlaceBackWhenOneCloses() throws UnknownHostException {
        InetAddress a = InetAddress.getByName("192.0.2.1");
        InetAddress b = InetAddress.getByName("192.0.2.2");

        assertThat(counts.tryOpen(a)).isTrue();
        assertThat(counts.tryOpen(a)).isTrue();
        assertThat(counts.tryOpen(a)).as("a third from one address").isFalse();
        assertThat(counts.tryOpen(b)).as("another address").isTrue();
        assertThat(counts.open(a)).isEqualTo(2);

        counts.closed(a);

        assertThat(counts.open(a)).isEqualTo(1);
        assertThat(counts.tryOpen(a)).isTrue();
    }

    @Test
    void anAddressWithNoConnection_isForgotten() throws UnknownHostException {
        InetAddress a = InetAddress.getByName("192.0.2.1");
        counts.tryOpen(a);

        counts.closed(a);
        counts.closed(a);

        assertThat(counts.open(a)).isZero();
        assertThat(counts.tryOpen(a)).isTrue();
        assertThat(counts.open(a)).isEqualTo(1);
    }
}
