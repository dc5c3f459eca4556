package io.frontier.cli;

import io.frontier.api.v1.ClientType;
import io.frontier.api.v1.DeviceOutcome;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prints push outcomes as aligned columns: user, device, client type, conn id,
 * outcome, and the reason when there is one. An empty field prints as {@code -}
 * so that every line splits into the same columns.
 */
final class OutcomeTable {
    private static final String GAP = "  ";
    private static final int FIXED_COLUMNS = 5;

    private OutcomeTable() {
    }

    static void print(List<DeviceOutcome> outcomes, PrintWriter out) {
        List<String[]> rows = new ArrayList<>();
        int[] widths = new int[FIXED_COLUMNS];
        for (DeviceOutcome outcome : outcomes) {
            String[] row = {
                orDash(outcome.getUserId()),
                orDash(outcome.getDeviceId()),
                clientType(outcome.getClientType()),
                orDash(outcome.getConnId()),
                outcome(outcome.getOutcome()),
            };
            for (int i = 0; i < FIXED_COLUMNS; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
            rows.add(row);
        }
        for (int r = 0; r < rows.size(); r++) {
            String[] row = rows.get(r);
            String reason = outcomes.get(r).getReason();
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < FIXED_COLUMNS; i++) {
                line.append(row[i]);
                boolean last = i == FIXED_COLUMNS - 1 && reason.isEmpty();
                if (!last) {
                    line.append(" ".repeat(widths[i] - row[i].length())).append(GAP);
                }
            }
            line.append(reason);
            out.println(line.toString().stripTrailing());
        }
    }

    static String clientType(ClientType type) {
        return switch (type) {
            case CLIENT_TYPE_TCP -> "tcp";
            case CLIENT_TYPE_WS -> "ws";
            default -> "-";
        };
    }

    private static String outcome(DeviceOutcome.Outcome outcome) {
        return switch (outcome) {
            case OUTCOME_UNSPECIFIED, UNRECOGNIZED -> "unknown";
            default -> outcome.name().toLowerCase(Locale.ROOT);
        };
    }

    private static String orDash(String field) {
        return field.isEmpty() ? "-" : field;
    }
}
