package io.frontier.discovery;

import static org.awaitility.Awaitility.await;

import io.frontier.api.v1.EdgeRecord;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A {@link WatchListener} of edges that records each call as a line ("put e1 i1", "delete e1 i1",
 * "synced", with the record's instance id) and keeps the view the calls add up to.
 */
final class RecordingListener implements WatchListener {
    final List<String> calls = new CopyOnWriteArrayList<>();
    final Map<String, EdgeRecord> view = new ConcurrentHashMap<>();
    final List<String> threads = new CopyOnWriteArrayList<>();

    @Override
    public void onPut(String id, byte[] value) {
        EdgeRecord record = parse(value);
        view.put(id, record);
        record("put " + id + " " + record.getInstanceId());
    }

    @Override
    public void onDelete(String id, byte[] previousValue) {
        view.remove(id);
        record("delete " + id + " " + parse(previousValue).getInstanceId());
    }

    @Override
    public void onSynced() {
        record("synced");
    }

    /** Waits until some recorded call matches. */
    void awaitCall(Predicate<String> call, Duration atMost) {
        await().atMost(atMost).until(() -> calls.stream().anyMatch(call));
    }

    private void record(String call) {
        threads.add(Thread.currentThread().getName());
        calls.add(call);
    }

    private static EdgeRecord parse(byte[] value) {
        try {
            return EdgeRecord.parseFrom(value);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError("not an EdgeRecord", e);
        }
    }
}
