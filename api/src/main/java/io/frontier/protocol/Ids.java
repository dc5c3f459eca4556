package io.frontier.protocol;

/**
 * The one rule for the ids of users and devices, wherever they come from (a token, an auth
 * backend, an API call): 1 to {@link #MAX_LENGTH} characters, not blank, and no control
 * character. A newline or a NUL in an id would split log lines and the fields of the status
 * store's records, and no device or backend needs one.
 */
public final class Ids {
    /** The longest id; ids travel in every event and status entry. */
    public static final int MAX_LENGTH = 128;
    /** How much of a refused id an error message may quote. */
    private static final int QUOTED = 32;

    private Ids() {
    }

    /** Returns whether {@code id} is a valid user or device id. */
    public static boolean valid(String id) {
        if (id == null || id.length() > MAX_LENGTH || id.isBlank()) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            if (Character.isISOControl(id.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Returns {@code id} as an error message may quote it: at most 32 characters, control
     * characters as {@code \\uXXXX}, so that a refusal never echoes unbounded or raw input.
     */
    public static String quoted(String id) {
        String head = id.length() > QUOTED ? id.substring(0, QUOTED) : id;
        StringBuilder out = new StringBuilder(head.length() + 8).append('"');
        for (int i = 0; i < head.length(); i++) {
            char c = head.charAt(i);
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append(id.length() > QUOTED ? "...\"" : "\"").toString();
    }
}
