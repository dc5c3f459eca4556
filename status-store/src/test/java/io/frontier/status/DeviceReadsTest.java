package io.frontier.status;

import static io.frontier.api.v1.ClientType.CLIENT_TYPE_TCP;
import static io.frontier.api.v1.ClientType.CLIENT_TYPE_WS;
import static io.frontier.status.Entries.await;
import static io.frontier.status.Entries.tcp;
import static io.frontier.status.Entries.ws;
import static org.assertj.core.api.Assertions.assertThat;

import io.frontier.api.v1.ClientType;
import io.frontier.testing.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.ByteArrayCodec;
import org.redisson.client.codec.StringCodec;
import org.redisson.codec.CompositeCodec;

/**
 * Device reads in batches, against a real Redis that the tests freeze so that reads pile up behind the
 * batches in flight, whatever the speed of the machine.
 */
class DeviceReadsTest {
    private static final Set<ClientType> BOTH = Set.of(CLIENT_TYPE_TCP, CLIENT_TYPE_WS);
    private static final int USERS = 300;

    private RedisServer redis;
    private RedisStatusConfig config;
    private RedisUserStatus status;
    private RedissonClient redisson;
    private DeviceReads reads;

    @BeforeEach
    void start() {
        redis = new RedisServer().start();
        // Long enough that the batches sent while Redis is frozen outlive the freeze on a slow machine.
        config = RedisStatusConfig.builder().address(redis.uri()).connectTimeout(Duration.ofSeconds(10))
                .commandTimeout(Duration.ofSeconds(10)).build();
        status = RedisUserStatus.connect(config);
        redisson = Redisson.create(RedissonSettings.of(config));
        reads = new DeviceReads(redisson, new RedisKeys(config.keyPrefix()),
                new CompositeCodec(StringCodec.INSTANCE, ByteArrayCodec.INSTANCE), config, () -> null);
    }

    @AfterEach
    void stop() {
        redis.thaw();
        redisson.shutdown();
        status.close();
        redis.close();
    }

    @Test
    void readsThatComeWhileBatchesAreInFlight_goInFewBatches_andEachGetsItsOwnEntries() {
        List<DeviceEntry> phones = new ArrayList<>();
        List<List<DeviceEntry>> expected = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            List<DeviceEntry> entries = new ArrayList<>();
            phones.add(tcp("user-" + i, "phone").conn("t" + i).build());
            entries.add(phones.get(i));
            if (i % 2 == 0) {
                entries.add(ws("user-" + i, "browser").conn("w" + i).build());
            }
            entries.forEach(entry -> await(status.connected(entry)));
            entries.sort(DeviceEntry.WITHIN_USER);
            expected.add(entries);
        }
        // Redisson opens its connections on first use: not while Redis is frozen.
        assertThat(await(reads.read("user-0", BOTH, null))).hasSize(2);
        long before = reads.batches();

        redis.freeze();
        List<CompletableFuture<List<DeviceEntry>>> everyDevice = new ArrayList<>();
        List<CompletableFuture<List<DeviceEntry>>> onePhone = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            everyDevice.add(reads.read("user-" + i, BOTH, null));
            onePhone.add(reads.read("user-" + i, Set.of(CLIENT_TYPE_TCP), "phone"));
        }
        redis.thaw();

        for (int i = 0; i < USERS; i++) {
            assertThat(await(everyDevice.get(i))).containsExactlyElementsOf(expected.get(i));
            assertThat(await(onePhone.get(i))).containsExactly(phones.get(i));
        }
        // The first two went alone while Redis was frozen; the other 598 waited and went up to 256 at a time:
        // three batches, or one more for each Redisson thread preempted in the middle of taking its batch
        // while another batch completed and took the rest. Never a batch per read.
        int waited = 2 * USERS - DeviceReads.BATCHES_IN_FLIGHT;
        int fewest = DeviceReads.BATCHES_IN_FLIGHT + (waited + DeviceReads.MAX_BATCH - 1) / DeviceReads.MAX_BATCH;
        assertThat(reads.batches() - before).isBetween((long) fewest, 2L * fewest);
    }

    @Test
    void readPastTheWaitingBound_failsAtOnce_andTheOthersStillComplete() {
        await(reads.read("nobody", BOTH, null));

        redis.freeze();
        List<CompletableFuture<List<DeviceEntry>>> taken = new ArrayList<>();
        for (int i = 0; i < DeviceReads.BATCHES_IN_FLIGHT + DeviceReads.MAX_WAITING; i++) {
            taken.add(reads.read("user-" + i, BOTH, null));
        }
        CompletableFuture<List<DeviceEntry>> refused = reads.read("one-more", BOTH, null);

        assertThat(refused).isCompletedExceptionally();
        assertThat(refused).failsWithin(Duration.ZERO).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOf(StatusStoreUnavailableException.class)
                .withMessage("too many reads waiting for Redis");
        redis.thaw();
        assertThat(await(CompletableFuture.allOf(taken.toArray(CompletableFuture[]::new)))).isNull();
        assertThat(taken).allSatisfy(read -> assertThat(read.join()).isEmpty());
    }
}
