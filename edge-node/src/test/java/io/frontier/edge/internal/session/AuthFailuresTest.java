package io.frontier.edge.internal.session;

import static io.frontier.edge.internal.session.ConnectRatesTest.address;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Time is the test's: every call says when it happens. */
class AuthFailuresTest {
    private static final long S = TimeUnit.SECONDS.toNanos(1);

    private final AuthFailures failures = new AuthFailures(3, 60 * S, 30 * S);

    @Test
    void theFailureThatReachesTheMaximumWithinTheWindow_bansTheAddressForTheBan_thenItsCountStartsAgain()
            throws UnknownHostException {
        InetAddress a = InetAddress.getByName("192.0.2.1");
        assertThat(failures.failed(a, 0)).isFalse();
        assertThat(failures.failed(a, 10 * S)).isFalse();
        assertThat(failures.banned(a, 10 * S)).isFalse();

        assertThat(failures.failed(a, 59 * S)).as("the third within 60 s").isTrue();

        assertThat(failures.banned(a, 59 * S)).isTrue();
        assertThat(failures.banned(a, 89 * S - 1)).isTrue();
        assertThat(failures.banned(a, 89 * S)).as("after 30 s").isFalse();
        assertThat(failures.failed(a, 90 * S)).isFalse();
        assertThat(failures.failed(a, 91 * S)).as("a count of its own after the ban").isFalse();
        assertThat(failures.failed(a, 92 * S)).isTrue();
    }

    @Test
    void failuresOfAnEarlierWindow_doNotCount() throws UnknownHostException {
        InetAddress a = InetAddress.getByName("192.0.2.1");
        failures.failed(a, 0);
        failures.failed(a, S);

        assertThat(failures.failed(a, 61 * S)).isFalse();
        assertThat(failures.banned(a, 61 * S)).isFalse();
    }

    @Test
    void aBanIsTheAddresssAlone() throws UnknownHostException {
        InetAddress a = InetAddress.getByName("192.0.2.1");
        failures.failed(a, 0);
        failures.failed(a, 0);
        assertThat(failures.failed(a, 0)).isTrue();

        assertThat(failures.banned(InetAddress.getByName("192.0.2.2"), 0)).isFalse();
    }

    @Test
    void failuresFromManyAddresses_neitherGrowTheTable_norLiftABan() throws UnknownHostException {
        AuthFailures small = new AuthFailures(3, 60 * S, 30 * S, 4, 7);
        InetAddress guesser = InetAddress.getByName("198.51.100.7");
        for (int i = 0; i < 3; i++) {
            small.failed(guesser, 0);
        }
        for (int i = 0; i < 100_000; i++) {
            small.failed(address(i), S);
        }

        assertThat(small.banned(guesser, 2 * S)).isTrue();
    }

}
