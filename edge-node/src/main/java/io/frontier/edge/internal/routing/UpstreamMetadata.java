package io.frontier.edge.internal.routing;

import io.frontier.api.v1.Frame;
import io.frontier.api.v1.SendMessageRequest;
import io.grpc.Metadata;
import java.util.regex.Pattern;

/**
 * The gRPC metadata of an upstream call, so that a backend's interceptors (tracing,
 * logging) see the request's identity without parsing it: {@code frontier-logid},
 * {@code frontier-conn-id}, {@code frontier-user-id}, {@code frontier-device-id},
 * {@code frontier-service}, and each device header whose key is a valid metadata key
 * as {@code frontier-h-<key>}. Every header is in the request's fields as well.
 */
final class UpstreamMetadata {
    static final String HEADER_PREFIX = "frontier-h-";
    private static final Pattern VALID_KEY = Pattern.compile("[a-z0-9_.-]{1,64}");
    private static final Metadata.Key<String> LOGID = key("frontier-logid");
    private static final Metadata.Key<String> CONN_ID = key("frontier-conn-id");
    private static final Metadata.Key<String> USER_ID = key("frontier-user-id");
    private static final Metadata.Key<String> DEVICE_ID = key("frontier-device-id");
    private static final Metadata.Key<String> SERVICE = key("frontier-service");

    private UpstreamMetadata() {
    }

    static Metadata of(SendMessageRequest request) {
        Metadata metadata = new Metadata();
        metadata.put(LOGID, Long.toUnsignedString(request.getLogid()));
        metadata.put(CONN_ID, request.getConnection().getConnId());
        metadata.put(USER_ID, printable(request.getConnection().getUserId()));
        metadata.put(DEVICE_ID, printable(request.getConnection().getDeviceId()));
        metadata.put(SERVICE, Integer.toString(request.getService()));
        for (Frame.ExtendedEntry header : request.getHeadersList()) {
            if (VALID_KEY.matcher(header.getKey()).matches()) {
                metadata.put(key(HEADER_PREFIX + header.getKey()), printable(header.getValue()));
            }
        }
        return metadata;
    }

    private static Metadata.Key<String> key(String name) {
        return Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER);
    }

    /** ASCII metadata must be printable: anything else is replaced, the exact value is in the fields. */
    private static String printable(String value) {
        StringBuilder out = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                if (out == null) {
                    out = new StringBuilder(value.substring(0, i));
                }
                out.append('?');
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? value : out.toString();
    }
}
