package io.frontier.launcher.cluster;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parts of a node in the order they started; closing stops them in reverse order,
 * each even when an earlier one failed to stop, so that a node that fails half-way
 * through its start leaves nothing running.
 */
final class Parts implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Parts.class);

    private final List<AutoCloseable> started = new ArrayList<>();

    /** Records a part that started and returns it. */
    <T extends AutoCloseable> T add(T part) {
        started.add(part);
        return part;
    }

    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            AutoCloseable part = started.get(i);
            try {
                part.close();
            } catch (Exception e) {
                log.warn("stopping {} failed: {}", part, e.toString());
            }
        }
        started.clear();
    }
}
