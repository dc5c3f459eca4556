package io.frontier.discovery;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Closes what a test opened, the last opened first. */
final class Closer implements AutoCloseable {
    private final List<AutoCloseable> resources = new ArrayList<>();

    /** Returns {@code resource}, to be closed by {@link #close()}. */
    <T extends AutoCloseable> T add(T resource) {
        resources.add(resource);
        return resource;
    }

    @Override
    public void close() throws Exception {
        List<AutoCloseable> reversed = new ArrayList<>(resources);
        Collections.reverse(reversed);
        resources.clear();
        for (AutoCloseable resource : reversed) {
            resource.close();
        }
    }
}
