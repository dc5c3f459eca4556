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
            assertThat(registry.register(s)).isNull();
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
        registry.register(first);
        DeviceSession second = session("alice", "phone");
        assertThat(registry.register(second)).isSameAs(first);

        DeviceSession tablet = session("alice", "tablet");
        registry.register(tablet);
        DeviceSession third = session("alice", "phone");
        assertThat(registry.register(third)).isSameAs(second);
        assertThat(registry.byUser("alice")).containsExactly(third, tablet);
    }

    @Test
    void unregisteringAReplacedSession_leavesTheNewerOne() {
        DeviceSession old = session("alice", "phone");
        registry.register(old);
        DeviceSession tablet = session("alice", "tablet");
        registry.register(tablet);
        DeviceSession newer = session("alice", "phone");
        registry.register(newer);

        assertThat(registry.unregister(old)).isFalse();
        assertThat(registry.byConnId(old.connId())).isNull();
        assertThat(registry.byUser("alice")).containsExactly(newer, tablet);
    }

    @Test
    void unregisteringEveryDevice_forgetsTheUser() {
        DeviceSession phone = session("alice", "phone");
        DeviceSession tablet = session("alice", "tablet");
        DeviceSession watch = session("alice", "watch");
        registry.register(phone);
        registry.register(tablet);
        registry.register(watch);

        assertThat(registry.unregister(tablet)).isTrue();
        assertThat(registry.byUser("alice")).containsExactly(phone, watch);
        assertThat(registry.unregister(phone)).isTrue();
        assertThat(registry.byUser("alice")).containsExactly(watch);
        assertThat(registry.unregister(watch)).isTrue();
        assertThat(registry.unregister(watch)).isFalse();
        assertThat(registry.byUser("alice")).isEmpty();
        assertThat(registry.size()).isZero();
    }
}
