package dev.hearth.job.exec;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * The watermark control record an upstream task broadcasts to every partition of a repartition topic it writes.
 * Key and value are {@code null}; the header {@value #KEY} holds 12 bytes:
 * <pre>
 *   offset 0  int32 big-endian  sender: the partition of the upstream task
 *   offset 4  int64 big-endian  the sender's event-time frontier (ms; Long.MAX_VALUE = end of input)
 * </pre>
 * Control records are consumed by the downstream task and never reach user code. Stateless.
 */
public final class WatermarkHeader {

    /** Header key of a watermark control record. */
    public static final String KEY = "hearth.watermark";

    private WatermarkHeader() {
    }

    public static Header encode(int sender, long watermarkMs) {
        return new Header(KEY, ByteBuffer.allocate(12).putInt(sender).putLong(watermarkMs).array());
    }

    /** @return the header's value if {@code headers} mark a control record, else {@code null} */
    static byte[] find(List<Header> headers) {
        for (int i = 0, n = headers.size(); i < n; i++) {
            Header header = headers.get(i);
            if (KEY.equals(header.key())) {
                byte[] value = header.value();
                if (value == null || value.length != 12) {
                    throw new IllegalArgumentException("malformed " + KEY + " header: expected 12 bytes");
                }
                return value;
            }
        }
        return null;
    }

    static int sender(byte[] value) {
        return ByteBuffer.wrap(value).getInt(0);
    }

    static long watermarkMs(byte[] value) {
        return ByteBuffer.wrap(value).getLong(4);
    }
}
