package io.frontier.discovery;

import com.google.protobuf.InvalidProtocolBufferException;
import io.frontier.api.v1.ControlPlaneRecord;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control planes registered in etcd ({@link EtcdDiscovery#CONTROL_PLANES}), handed on as their
 * gRPC addresses after each change. Watch thread only.
 */
final class ControlPlaneAddresses implements WatchListener {
    private static final Logger log = LoggerFactory.getLogger(ControlPlaneAddresses.class);

    private final Consumer<List<String>> listener;
    private final Map<String, String> byId = new TreeMap<>();

    ControlPlaneAddresses(Consumer<List<String>> listener) {
        this.listener = listener;
    }

    @Override
    public void onPut(String id, byte[] value) {
        try {
            byId.put(id, ControlPlaneRecord.parseFrom(value).getGrpcAddress());
        } catch (InvalidProtocolBufferException e) {
            log.warn("control plane {}: unreadable record in etcd: {}", id, e.getMessage());
            return;
        }
        listener.accept(List.copyOf(byId.values()));
    }

    @Override
    public void onDelete(String id, byte[] previousValue) {
        if (byId.remove(id) != null) {
            listener.accept(List.copyOf(byId.values()));
        }
    }
}
