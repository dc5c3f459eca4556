package io.frontier.edge.internal.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.frontier.api.v1.ClientType;
import org.junit.jupiter.api.Test;

class SessionRegistryTest {
    private final SessionRegistry registry = new SessionRegistry(4);
    private int sessions;

    private Session session(String user, String device) {
        return new Session("conn-" + ++sessions, user, device, ClientType.CLIENT_TYPE_TCP, "", 0, null, 1);
    }

    @Test
    void aUsersDevices_areFoundByUserAndByConnection() {
        Session phone = session("alice", "phone");
        Session tablet = session("alice", "tablet");
        Session watch = session("alice", "watch");
        Session bobs = session("bob", "phone");
        for (Session s : new Session[] {phone, tablet, watch, bobs}) {
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
        Session first = session("alice", "phone");
        registry.register(first);
        Session second = session("alice", "phone");
        assertThat(registry.register(second)).isSameAs(first);

        Session tablet = session("alice", "tablet");
        registry.register(tablet);
        Session third = session("alice", "phone");
        assertThat(registry.register(third)).isSameAs(second);
        assertThat(registry.byUser("alice")).containsExactly(third, tablet);
    }

    @Test
    void unregisteringAReplacedSession_leavesTheNewerOne() {
        Session old = session("alice", "phone");
        registry.register(old);
        Session tablet = session("alice", "tablet");
        registry.register(tablet);
        Session newer = session("alice", "phone");
        registry.register(newer);

        assertThat(registry.unregister(old)).isFalse();
        assertThat(registry.byConnId(old.connId())).isNull();
        assertThat(registry.byUser("alice")).containsExactly(newer, tablet);
    }

    @Test
    void unregisteringEveryDevice_forgetsTheUser() {
        Session phone = session("alice", "phone");
        Session tablet = session("alice", "tablet");
        Session watch = session("alice", "watch");
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
