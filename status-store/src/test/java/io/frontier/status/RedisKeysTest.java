package io.frontier.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frontier.api.v1.ClientType;
import org.junit.jupiter.api.Test;

class RedisKeysTest {

    private final RedisKeys keys = new RedisKeys("frontier");

    @Test
    void everyKey_carriesAHashTag() {
        assertThat(keys.user("alice", ClientType.CLIENT_TYPE_TCP)).isEqualTo("frontier:{u:alice}:tcp");
        assertThat(keys.user("alice", ClientType.CLIENT_TYPE_WS)).isEqualTo("frontier:{u:alice}:ws");
        assertThat(keys.edge("edge-1")).isEqualTo("frontier:{e:edge-1}:conns");
        assertThat(keys.edges()).isEqualTo("frontier:{edges}");
    }

    @Test
    void bothFamiliesOfAUser_shareTheirHashTagWhateverTheId() {
        for (String userId : new String[] {"alice", "a}b", "{x}", "a{b", "}"}) {
            assertThat(hashTag(keys.user(userId, ClientType.CLIENT_TYPE_TCP)))
                    .isEqualTo(hashTag(keys.user(userId, ClientType.CLIENT_TYPE_WS)));
        }
    }

    @Test
    void keysOfDifferentIds_neverCollide() {
        assertThat(keys.user("a}:ws", ClientType.CLIENT_TYPE_TCP))
                .isNotEqualTo(keys.user("a", ClientType.CLIENT_TYPE_WS));
        assertThat(keys.edge("a}:conns")).isNotEqualTo(keys.edge("a"));
    }

    @Test
    void family_ofUnspecifiedType_throws() {
        assertThatThrownBy(() -> RedisKeys.family(ClientType.CLIENT_TYPE_UNSPECIFIED))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(RedisKeys.clientType(RedisKeys.family(ClientType.CLIENT_TYPE_WS)))
                .isEqualTo(ClientType.CLIENT_TYPE_WS);
    }

    /** Returns what Redis Cluster hashes of {@code key}: the first non-empty {...}, else the whole key. */
    private static String hashTag(String key) {
        int open = key.indexOf('{');
        int close = open < 0 ? -1 : key.indexOf('}', open + 1);
        return close > open + 1 ? key.substring(open + 1, close) : key;
    }
}
