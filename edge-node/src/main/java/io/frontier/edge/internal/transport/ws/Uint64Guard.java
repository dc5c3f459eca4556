package io.frontier.edge.internal.transport.ws;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;

/**
 * Refuses a frontier.json {@code Frame} whose {@code seqid} or {@code logid} is a number with an
 * exponent far out of a uint64's reach, before the protobuf JSON mapping sees it. The mapping
 * reads a uint64 as an exact BigInteger, so {@code {"seqid":1e500000000}}, 23 bytes from a device,
 * had the event loop compute ten to that power (a quarter of a GB, for seconds or minutes) only to
 * refuse the value as out of range. Every value refused here the mapping refuses too.
 */
final class Uint64Guard {
    // Past this exponent either way a value is no uint64 (one of 20 digits, or an integer written
    // with that many trailing zeros after the point), and the mapping's exact arithmetic is what costs.
    private static final int MAX_SCALE = 1000;

    private Uint64Guard() {
    }

    /**
     * Returns the text of the first {@code seqid} or {@code logid} of {@code json} that is out of a
     * uint64's reach by its exponent alone, or null; malformed JSON is left for the mapping to refuse.
     */
    static String outOfReach(String json) {
        if (!mayHoldAnExponent(json)) {
            // Most frames (acks, pings) hold none: no second pass over them.
            return null;
        }
        JsonReader reader = new JsonReader(new StringReader(json));
        reader.setStrictness(Strictness.LENIENT);
        try {
            if (reader.peek() != JsonToken.BEGIN_OBJECT) {
                return null;
            }
            reader.beginObject();
            while (reader.hasNext()) {
                String name = reader.nextName();
                JsonToken value = reader.peek();
                if ((name.equals("seqid") || name.equals("logid"))
                        && (value == JsonToken.NUMBER || value == JsonToken.STRING)) {
                    String number = reader.nextString();
                    if (farOut(number)) {
                        return number.length() > 32 ? number.substring(0, 32) + "..." : number;
                    }
                } else {
                    reader.skipValue();
                }
            }
        } catch (IOException | RuntimeException malformed) {
            return null;
        }
        return null;
    }

    /** Returns whether {@code json} has a digit followed by {@code e} or {@code E}, as every exponent does. */
    private static boolean mayHoldAnExponent(String json) {
        for (int i = 1; i < json.length(); i++) {
            char c = json.charAt(i);
            char before = json.charAt(i - 1);
            if ((c == 'e' || c == 'E') && before >= '0' && before <= '9') {
                return true;
            }
        }
        return false;
    }

    private static boolean farOut(String number) {
        try {
            return Math.abs(new BigDecimal(number).scale()) > MAX_SCALE;
        } catch (NumberFormatException notANumber) {
            return false;
        }
    }
}
