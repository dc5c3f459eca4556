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
 * The control planes registered in etcd ({@link EtcdDiscovery#CONTROL_PLANES}), handed on as the
 * addresses of their EdgeLink after each change: the link address, or the gRPC address of a replica that
 * has none. Watch thread only.
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
            ControlPlaneRecord record = ControlPlaneRecord.parseFrom(value);
            byId.put(id, record.getLinkAddress().isEmpty() ? record.getGrpcAddress() : record.getLinkAddress());
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
