package io.frontier.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.redisson.RedissonShutdownException;
import org.redisson.client.RedisConnectionException;
import org.redisson.client.RedisException;
import org.redisson.client.RedisResponseTimeoutException;
import org.redisson.client.RedisTimeoutException;

class RedisFailuresTest {
    /** The tail Redisson gives its messages: the command with its script and arguments. */
    private static final String COMMAND = ", command: (EVALSHA), params: [\"local function entry(value)\\n"
            + "local x = 1\n".repeat(100) + "] after 1 retry attempts";

    @Test
    void notWrittenInTime_saysThisProcessIsBehind() {
        RuntimeException translated = RedisFailures.translate(new CompletionException(new RedisTimeoutException(
                "Command still hasn't been written into connection! Check CPU usage of the JVM. Try to increase"
                        + " nettyThreads setting. Netty pending tasks: 3" + COMMAND)));

        assertShort(translated, "too busy to send the command to Redis in time");
    }

    @Test
    void noConnectionInTime_saysThisProcessIsBehind() {
        assertShort(RedisFailures.translate(new RedisTimeoutException(
                "Unable to acquire connection! Increase connection pool size. Node source: NodeSource" + COMMAND)),
                "too busy to send the command to Redis in time");
    }

    @Test
    void noAnswerInTime_saysRedisDidNotAnswer() {
        assertShort(RedisFailures.translate(new RedisResponseTimeoutException(
                "Redis server response timeout (500 ms) occurred after 1 of 1 retry attempts" + COMMAND)),
                "Redis did not answer in time");
    }

    @Test
    void refusedConnection_saysRedisIsUnreachable() {
        assertShort(RedisFailures.translate(new RedisConnectionException("Unable to connect to Redis server" + COMMAND)),
                "Redis unreachable");
        assertShort(RedisFailures.translate(new RedisException("Unexpected exception while processing command" + COMMAND,
                new ConnectException("Connection refused"))), "Redis unreachable");
    }

    @Test
    void otherRedisErrors_nameOnlyTheirType() {
        assertShort(RedisFailures.translate(new RedisException("ERR Error running script" + COMMAND)),
                "Redis failed (RedisException)");
        assertShort(RedisFailures.translate(new IllegalStateException("unexpected" + COMMAND)),
                "Redis call failed (IllegalStateException)");
        assertShort(RedisFailures.translate(new RedissonShutdownException("Redisson is shutdown")),
                "status store is closed");
    }

    @Test
    void storeUnavailable_staysAsItIs() {
        StatusStoreUnavailableException lost = new StatusStoreUnavailableException("Redis lost its data", null);

        assertThat(RedisFailures.translate(new CompletionException(lost))).isSameAs(lost);
    }

    private static void assertShort(RuntimeException translated, String message) {
        assertThat(translated).isInstanceOf(StatusStoreUnavailableException.class).hasMessage(message);
        assertThat(translated.getCause()).isNotNull();
    }
}
