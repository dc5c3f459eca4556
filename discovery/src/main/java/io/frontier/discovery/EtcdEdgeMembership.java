package io.frontier.discovery;

import com.google.protobuf.InvalidProtocolBufferException;
import io.frontier.api.v1.EdgeRecord;
import io.frontier.control.cluster.EdgeMembership;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The edges' registrations in etcd ({@link EtcdDiscovery#EDGES}), their records parsed. */
final class EtcdEdgeMembership implements EdgeMembership {
    private static final Logger log = LoggerFactory.getLogger(EtcdEdgeMembership.class);

    private final EtcdDiscovery discovery;

    EtcdEdgeMembership(EtcdDiscovery discovery) {
        this.discovery = discovery;
    }

    @Override
    public Subscription watch(Listener listener) {
        return discovery.watch(EtcdDiscovery.EDGES, new WatchListener() {
            @Override
            public void onPut(String id, byte[] value) {
                EdgeRecord record = parse(id, value);
                if (record != null) {
                    listener.onPut(record);
                }
            }

            @Override
            public void onDelete(String id, byte[] previousValue) {
                listener.onDelete(id, parse(id, previousValue));
            }

            @Override
            public void onSynced() {
                listener.onSynced();
            }
        })::close;
    }

    private static EdgeRecord parse(String id, byte[] value) {
        try {
            return EdgeRecord.parseFrom(value);
        } catch (InvalidProtocolBufferException e) {
            log.warn("edge {}: unreadable record in etcd: {}", id, e.getMessage());
            return null;
        }
    }
}
