package io.frontier.edge.internal.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.frontier.api.v1.ClientType;
import io.frontier.edge.EdgeConfig;
import io.frontier.edge.EmbeddedSessions;
import io.frontier.edge.Tokens;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SessionRegistryTest {
    private static final int ANY = Integer.MAX_VALUE;
    private final SessionRegistry registry = EmbeddedSessions.registry();
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @AfterEach
    void close() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    private DeviceSession session(String user, String device) {
        EmbeddedChannel channel = new EmbeddedChannel();
        channels.add(channel);
        // Each session comes online in a registry of its own, so that this one sees only what the tests register.
        SessionContext elsewhere = EmbeddedSessions.context(EdgeConfig.builder().jwtSecret(Tokens.SECRET).build(),
                EmbeddedSessions.registry(), new ArrayList<>());
        return EmbeddedSessions.online(elsewhere, channel, ClientType.CLIENT_TYPE_TCP, user, device);
    }

    @Test
    void aUsersDevices_areFoundByUserAndByConnection() {
        DeviceSession phone = session("alice", "phone");
        DeviceSession tablet = session("alice", "tablet");
        DeviceSession watch = session("alice", "watch");
        DeviceSession bobs = session("bob", "phone");
        for (DeviceSession s : new DeviceSession[] {phone, tablet, watch, bobs}) {
            assertThat(registry.register(s, ANY)).isNull();
        }
        assertThat(registry.byUser("alice")).containsExactly(phone, tablet, watch);
        assertThat(registry.byUser("bob")).containsExactly(bobs);
        assertThat(registry.byUser("carol")).isEmpty();
        assertThat(registry.byConnId(tablet.connId())).isSameAs(tablet);
        assertThat(registry.size()).isEqualTo(4);
    }

    @Test
    void aDevicesNewConnection_replacesItsOldOne_whetherTheUserHasOneDeviceOrSeveral() {
        DeviceSession first = session("alice", "phone");
        registry.register(first, ANY);
        DeviceSession second = session("alice", "phone");
        assertThat(registry.register(second, ANY)).isSameAs(first);

        DeviceSession tablet = session("alice", "tablet");
        registry.register(tablet, ANY);
        DeviceSession third = session("alice", "phone");
        assertThat(registry.register(third, ANY)).isSameAs(second);
        assertThat(registry.byUser("alice")).containsExactly(third, tablet);
    }

    @Test
    void unregisteringAReplacedSession_leavesTheNewerOne() {
        DeviceSession old = session("alice", "phone");
        registry.register(old, ANY);
        DeviceSession tablet = session("alice", "tablet");
        registry.register(tablet, ANY);
        DeviceSession newer = session("alice", "phone");
        registry.register(newer, ANY);

        assertThat(registry.unregister(old)).isFalse();
        assertThat(registry.byConnId(old.connId())).isNull();
        assertThat(registry.byUser("alice")).containsExactly(newer, tablet);
    }

    @Test
    void unregisteringEveryDevice_forgetsTheUser() {
        DeviceSession phone = session("alice", "phone");
        DeviceSession tablet = session("alice", "tablet");
        DeviceSession watch = session("alice", "watch");
        registry.register(phone, ANY);
        registry.register(tablet, ANY);
        registry.register(watch, ANY);

        assertThat(registry.unregister(tablet)).isTrue();
        assertThat(registry.byUser("alice")).containsExactly(phone, watch);
        assertThat(registry.unregister(phone)).isTrue();
        assertThat(registry.byUser("alice")).containsExactly(watch);
        assertThat(registry.unregister(watch)).isTrue();
        assertThat(registry.unregister(watch)).isFalse();
        assertThat(registry.byUser("alice")).isEmpty();
        assertThat(registry.size()).isZero();
    }

    @Test
    void aUserAtItsMaximum_isRefusedAnotherDevice_butNotAReconnectOfOneItHolds() {
        DeviceSession phone = session("alice", "phone");
        DeviceSession tablet = session("alice", "tablet");
        assertThat(registry.register(phone, 2)).isNull();
        assertThat(registry.register(tablet, 2)).isNull();

        DeviceSession watch = session("alice", "watch");
        assertThat(registry.admits("alice", "watch", 2)).isFalse();
        assertThat(registry.register(watch, 2)).as("refused, nothing changed").isSameAs(watch);
        assertThat(registry.byUser("alice")).containsExactly(phone, tablet);
        assertThat(registry.byConnId(watch.connId())).isNull();

        DeviceSession phoneAgain = session("alice", "phone");
        assertThat(registry.admits("alice", "phone", 2)).isTrue();
        assertThat(registry.register(phoneAgain, 2)).as("a reconnect replaces").isSameAs(phone);
        assertThat(registry.admits("bob", "phone", 2)).isTrue();

        registry.unregister(tablet);
        assertThat(registry.register(watch, 2)).isNull();
    }

    @Test
    void aUserOfOneConnection_mayOnlyReconnectItsDevice() {
        DeviceSession phone = session("alice", "phone");
        assertThat(registry.register(phone, 1)).isNull();

        DeviceSession tablet = session("alice", "tablet");
        assertThat(registry.register(tablet, 1)).isSameAs(tablet);
        assertThat(registry.register(session("alice", "phone"), 1)).isSameAs(phone);
    }
}
