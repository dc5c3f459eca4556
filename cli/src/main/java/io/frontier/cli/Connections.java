package io.frontier.cli;

import io.frontier.api.v1.ConnectionInfo;
import java.util.List;

/** The table of connections that {@code user} and {@code conns} print. */
final class Connections {
    private Connections() {
    }

    /** Returns the rows of {@code connections}; with {@code withUser}, a USER column leads. */
    static Table table(List<ConnectionInfo> connections, boolean withUser) {
        long now = System.currentTimeMillis();
        Table table = withUser
                ? new Table("USER", "TYPE", "DEVICE", "CONN-ID", "EDGE", "ADDRESS", "CONNECTED", "LAST-ACTIVE")
                : new Table("TYPE", "DEVICE", "CONN-ID", "EDGE", "ADDRESS", "CONNECTED", "LAST-ACTIVE");
        for (ConnectionInfo c : connections) {
            String[] fields = {OutcomeTable.clientType(c.getClientType()), c.getDeviceId(), c.getConnId(), c.getEdgeId(),
                c.getClientAddr(), Table.time(c.getConnectedAtMs()), Table.ago(c.getLastActivityMs(), now)};
            if (withUser) {
                String[] row = new String[fields.length + 1];
                row[0] = c.getUserId();
                System.arraycopy(fields, 0, row, 1, fields.length);
                table.row(row);
            } else {
                table.row(fields);
            }
        }
        return table;
    }
}
