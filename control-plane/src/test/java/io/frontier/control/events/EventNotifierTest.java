package io.frontier.control.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.frontier.api.v1.ClientType;
import io.frontier.api.v1.ConnectionEvent;
import io.frontier.api.v1.ConnectionInfo;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** EventNotifier against in-process backends that fail, hold or answer as each test scripts. */
class EventNotifierTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final List<ManagedChannel> channels = new CopyOnWriteArrayList<>();
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
            warnings.add(event.getFormattedMessage());
        }
    };

    @BeforeEach
    void captureLogs() {
        appender.start();
        logger().addAppender(appender);
    }

    @AfterEach
    void closeAll() throws Exception {
        Collections.reverse(resources);
        for (AutoCloseable resource : resources) {
            resource.close();
        }
        logger().detachAppender(appender);
    }

    private static Logger logger() {
        return (Logger) LoggerFactory.getLogger(EventNotifier.class);
    }

    private ScriptedBackend backend() throws IOException {
        ScriptedBackend backend = new ScriptedBackend();
        resources.add(backend);
        return backend;
    }

    /** Exact, 1 ms backoff, so that retries are quick and their waits known. */
    private static EventNotifierConfig.Builder config(ScriptedBackend... backends) {
        return EventNotifierConfig.builder(Arrays.stream(backends).map(ScriptedBackend::target).toList())
                .backoff(Duration.ofMillis(1), Duration.ofMillis(4))
                .jitter(0);
    }

    private EventNotifier notifier(EventNotifierConfig config) {
        EventNotifier notifier = new EventNotifier(config, target -> {
            ManagedChannel channel = InProcessChannelBuilder.forName(target).directExecutor().build();
            channels.add(channel);
            return channel;
        });
        resources.add(notifier);
        return notifier;
    }

    private static ConnectionInfo conn(int n) {
        return ConnectionInfo.newBuilder()
                .setConnId("conn-" + n)
                .setUserId("user-" + n)
                .setDeviceId("phone")
                .setClientType(ClientType.CLIENT_TYPE_TCP)
                .setEdgeId("edge-1")
                .build();
    }

    private static ConnectionEvent connected(int n) {
        return ConnectionEvents.connected(conn(n), 1_000L + n);
    }

    private static List<ConnectionEvent> connectedEvents(int from, int to) {
        List<ConnectionEvent> events = new ArrayList<>();
        for (int n = from; n <= to; n++) {
            events.add(connected(n));
        }
        return events;
    }

    private static void publishAll(EventNotifier notifier, List<ConnectionEvent> events) {
        events.forEach(notifier::publish);
    }

    @Test
    void events_arriveInThePublishedOrder_eachDisconnectAfterItsConnect() throws Exception {
        ScriptedBackend backend = backend();
        EventNotifier notifier = notifier(config(backend).build());
        List<ConnectionEvent> published = new ArrayList<>();
        for (int n = 0; n < 100; n++) {
            published.add(connected(n));
            published.add(ConnectionEvents.disconnected(conn(n), 200, "bye", 2_000L + n));
        }

        publishAll(notifier, published);

        await().atMost(WAIT).until(() -> backend.delivered.size() == published.size());
        assertThat(backend.delivered).containsExactlyElementsOf(published);
        assertThat(backend.calls).hasSize(published.size());
    }

    @Test
    void backendUnavailableTwice_getsTheEventOnTheThirdTry() throws Exception {
        ScriptedBackend backend = backend();
        backend.failNext(Status.UNAVAILABLE, Status.UNAVAILABLE);
        EventNotifier notifier = notifier(config(backend).build());

        notifier.publish(connected(1));

        await().atMost(WAIT).until(() -> backend.delivered.size() == 1);
        assertThat(backend.calls).containsExactly(connected(1), connected(1), connected(1));
        assertThat(warnings).isEmpty();
    }

    @Test
    void invalidArgument_isTriedOnce_loggedWithBackendConnKindAndStatus_andTheNextEventGoes() throws Exception {
        ScriptedBackend backend = backend();
        backend.failNext(Status.INVALID_ARGUMENT.withDescription("no such user"));
        EventNotifier notifier = notifier(config(backend).build());

        publishAll(notifier, connectedEvents(1, 2));

        await().atMost(WAIT).until(() -> backend.delivered.size() == 1);
        assertThat(backend.calls).containsExactly(connected(1), connected(2));
        assertThat(warnings).containsExactly("event backend " + backend.target()
                + ": CONNECTED of conn conn-1 not delivered after 1 tries: INVALID_ARGUMENT: no such user");
    }

    @Test
    void retryableFailureOnEveryTry_isGivenUpAfterMaxTries_andTheNextEventGoes() throws Exception {
        ScriptedBackend backend = backend();
        backend.failNext(Status.UNAVAILABLE, Status.DEADLINE_EXCEEDED, Status.INTERNAL, Status.UNAVAILABLE);
        EventNotifier notifier = notifier(config(backend).maxTries(4).build());

        publishAll(notifier, connectedEvents(1, 2));

        await().atMost(WAIT).until(() -> backend.delivered.size() == 1);
        assertThat(backend.calls).containsExactly(connected(1), connected(1), connected(1), connected(1), connected(2));
        assertThat(backend.delivered).containsExactly(connected(2));
        assertThat(warnings).singleElement().asString()
                .contains(backend.target(), "CONNECTED", "conn-1", "after 4 tries", "UNAVAILABLE");
    }

    @Test
    void fullQueue_dropsTheOldestWaitingEvents_andLogsOneLineForTheBurst() throws Exception {
        ScriptedBackend backend = backend();
        backend.hold();
        EventNotifier notifier = notifier(config(backend).queueCapacity(2).build());
        notifier.publish(connected(1));
        await().atMost(WAIT).until(() -> backend.calls.size() == 1);

        publishAll(notifier, connectedEvents(2, 6));

        assertThat(notifier.dropped()).isEqualTo(3);
        backend.release();
        await().atMost(WAIT).until(() -> backend.delivered.size() == 3);
        assertThat(backend.delivered).containsExactly(connected(1), connected(5), connected(6));
        assertThat(warnings).containsExactly(
                "event backend " + backend.target() + ": queue full (2 events), dropped the 3 oldest");
    }

    @Test
    void twoBackends_eachGetEveryEvent_evenWhileTheOtherFails() throws Exception {
        ScriptedBackend failing = backend();
        ScriptedBackend healthy = backend();
        failing.failNext(Status.UNAVAILABLE, Status.RESOURCE_EXHAUSTED);
        EventNotifier notifier = notifier(config(failing, healthy).build());
        List<ConnectionEvent> published = connectedEvents(1, 20);

        publishAll(notifier, published);

        await().atMost(WAIT).until(() -> failing.delivered.size() == 20 && healthy.delivered.size() == 20);
        assertThat(failing.delivered).containsExactlyElementsOf(published);
        assertThat(healthy.delivered).containsExactlyElementsOf(published);
    }

    @Test
    void close_sendsWhatWaits_thenReleasesItsThreadAndChannels() throws Exception {
        ScriptedBackend backend = backend();
        EventNotifier notifier = notifier(config(backend).build());
        List<ConnectionEvent> published = connectedEvents(1, 50);
        publishAll(notifier, published);

        notifier.close();

        assertThat(backend.delivered).containsExactlyElementsOf(published);
        assertThat(channels).allSatisfy(channel -> assertThat(channel.isTerminated()).isTrue());
        await().atMost(WAIT).until(EventNotifierTest::noNotifierThread);
        assertThat(warnings).isEmpty();
    }

    @Test
    void close_withABackendThatNeverAnswers_givesUpAfterTheCloseTimeout() throws Exception {
        ScriptedBackend backend = backend();
        backend.hold();
        EventNotifier notifier = notifier(config(backend)
                .callDeadline(Duration.ofSeconds(30))
                .closeTimeout(Duration.ofMillis(50))
                .build());
        publishAll(notifier, connectedEvents(1, 3));
        await().atMost(WAIT).until(() -> backend.calls.size() == 1);

        notifier.close();

        assertThat(channels).allSatisfy(channel -> assertThat(channel.isTerminated()).isTrue());
        await().atMost(WAIT).until(EventNotifierTest::noNotifierThread);
        assertThat(warnings).containsExactly("event backend " + backend.target() + ": closed with 3 events not sent");
    }

    @Test
    void publish_afterClose_isIgnored() throws Exception {
        ScriptedBackend backend = backend();
        EventNotifier notifier = notifier(config(backend).build());
        notifier.close();

        notifier.publish(connected(1));
        notifier.close();

        assertThat(backend.calls).isEmpty();
        assertThat(notifier.dropped()).isZero();
    }

    @Test
    void backoff_doublesFromTheFirstWait_upToTheCap() {
        EventNotifierConfig exact = EventNotifierConfig.builder(List.of("b:1")).jitter(0).build();
        assertThat(List.of(1, 2, 3, 4, 5, 6, 1000))
                .map(tries -> Duration.ofNanos(EventNotifier.backoffNanos(exact, tries, 0.5)))
                .containsExactly(Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofMillis(800),
                        Duration.ofMillis(1600), Duration.ofMillis(3200), Duration.ofSeconds(5), Duration.ofSeconds(5));
    }

    @Test
    void backoff_variesByTheJitterFraction_butNeverPastTheCap() {
        EventNotifierConfig jittered = EventNotifierConfig.of(List.of("b:1"));
        assertThat(EventNotifier.backoffNanos(jittered, 1, 0)).isEqualTo(Duration.ofMillis(160).toNanos());
        assertThat(EventNotifier.backoffNanos(jittered, 1, 0.999_999)).isBetween(
                Duration.ofMillis(239).toNanos(), Duration.ofMillis(240).toNanos());
        assertThat(EventNotifier.backoffNanos(jittered, 10, 0.999_999)).isEqualTo(Duration.ofSeconds(5).toNanos());
        assertThat(EventNotifier.backoffNanos(jittered, 10, 0)).isEqualTo(Duration.ofSeconds(4).toNanos());
    }

    private static boolean noNotifierThread() {
        return Thread.getAllStackTraces().keySet().stream()
                .noneMatch(thread -> thread.getName().equals("frontier-events") && thread.isAlive());
    }
}
