package io.frontier.edge.internal.auth;

import io.frontier.protocol.Ids;
import io.frontier.protocol.StatusCode;

/** The rules that pick a device id from what the device sent and what its token or backend says. */
final class DeviceIds {
    /** The longest device id accepted; ids travel in every event and status entry. */
    static final int MAX_LENGTH = Ids.MAX_LENGTH;

    private DeviceIds() {
    }

    /**
     * Returns the device id to use: the authority's when it names one (and the device
     * sent none or the same), else the device's.
     *
     * @throws AuthException 401 when they disagree or neither names a valid id
     */
    static String resolve(String fromDevice, String fromAuthority) throws AuthException {
        String chosen;
        if (fromAuthority == null || fromAuthority.isEmpty()) {
            chosen = fromDevice;
        } else if (fromDevice == null || fromDevice.isEmpty() || fromDevice.equals(fromAuthority)) {
            chosen = fromAuthority;
        } else {
            throw new AuthException(StatusCode.UNAUTHORIZED, "token is for another device");
        }
        if (chosen == null || chosen.isEmpty()) {
            throw new AuthException(StatusCode.UNAUTHORIZED, "no device id: send one or use a token that carries it");
        }
        if (chosen.length() > MAX_LENGTH) {
            throw new AuthException(StatusCode.UNAUTHORIZED, "device id over " + MAX_LENGTH + " characters");
        }
        if (!Ids.valid(chosen)) {
            throw new AuthException(StatusCode.UNAUTHORIZED, "device id is blank or holds control characters");
        }
        return chosen;
    }
}
