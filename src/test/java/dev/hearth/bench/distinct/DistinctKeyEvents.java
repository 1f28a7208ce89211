package dev.hearth.bench.distinct;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The input of the state-heavy case of {@code bench/stream-compare.sh} ({@code BENCH_CASE=state-heavy}):
 * {@code keys} distinct keys, each seen 1 to 3 times, all within one 1-hour tumbling event-time window, so that
 * every key's count is live state until the window closes. Deterministic in {@code keys}; the expected result is
 * a formula ({@link #expectedCount}), so neither the loader nor a verifier holds a map of millions of keys.
 *
 * <pre>
 * key   user-&lt;16 hex digits of k&gt;&lt;16 hex digits of a hash of k&gt;    (37 bytes, UTF-8)
 * value "view" (counted) or "close" (one per partition, 2 h later: closes the window, counts nowhere)
 * </pre>
 * Key {@code k} (0 ≤ k &lt; keys) is seen {@code 1 + k % 3} times and always goes to partition {@code k % 6}, so
 * the input is partitioned by key and neither runtime repartitions. Events come in three rounds over a stride
 * permutation of the keys (round {@code r} holds the keys seen more than {@code r} times), so a key's second and
 * third events come long after its first. Event time (also the record timestamp) rises evenly from
 * {@link #WINDOW_START_MS} over the first 50 minutes of the hour; per partition it never goes back.
 *
 * <p>Not thread-safe.
 */
public final class DistinctKeyEvents {

    public static final String INPUT_TOPIC = "distinct-key-events";
    /** Hour-aligned (472,222 h since the epoch): every counted event falls in the window starting here. */
    public static final long WINDOW_START_MS = 1_699_999_200_000L;
    public static final long WINDOW_MS = 3_600_000;
    public static final int PARTITIONS = 6;
    public static final String COUNTED = "view";
    public static final String CLOSING = "close";
    /** The closing events' event time: an hour after the window's end, past any allowed lateness. */
    public static final long CLOSING_MS = WINDOW_START_MS + 2 * WINDOW_MS;
    private static final long SPREAD_MS = 3_000_000;
    private static final String KEY_PREFIX = "user-";

    /** One input record: partition, key and value (UTF-8), event time (epoch ms). */
    public record Event(int partition, byte[] key, byte[] value, long timestampMs) {
    }

    private final int keys;
    private final long stride;
    private final long total;
    private long emitted;
    private int round;
    private long position;      // within the round, 0..keys
    private int closed;         // closing events emitted
    private Event next;

    public DistinctKeyEvents(int keys) {
        if (keys < 1) {
            throw new IllegalArgumentException("keys must be positive: " + keys);
        }
        this.keys = keys;
        this.stride = strideFor(keys);
        this.total = countedEvents(keys);
        advance();
    }

    /** Counted events: the sum of every key's expected count. */
    public static long countedEvents(int keys) {
        long total = 0;
        for (int r = 0; r < 3; r++) {
            total += keysSeenMoreThan(keys, r);
        }
        return total;
    }

    private static long keysSeenMoreThan(int keys, int round) {
        // keys k with k % 3 >= round
        long full = keys / 3;
        int rest = keys % 3;
        return full * (3 - round) + Math.max(0, rest - round);
    }

    /** How many times key {@code k} is seen: its count in the window. */
    public static long expectedCount(int k) {
        return 1 + k % 3;
    }

    public static String key(int k) {
        return KEY_PREFIX + String.format("%016x%016x", k, mix(k));
    }

    /** The key index of a key written by {@link #key}, or -1 if it is not one. */
    public static int indexOf(String key) {
        if (key.length() != KEY_PREFIX.length() + 32 || !key.startsWith(KEY_PREFIX)) {
            return -1;
        }
        try {
            long k = Long.parseUnsignedLong(key, KEY_PREFIX.length(), KEY_PREFIX.length() + 16, 16);
            return k <= Integer.MAX_VALUE && key.equals(key((int) k)) ? (int) k : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Rough sizes of the state at its peak (every key's count in the one window), in bytes: as a window store
     * holds it serialized (key, window start, sequence number, count), and as Java objects in an in-heap map
     * (the key {@code String}, a windowed key and its window, a boxed {@code Long}, a hash-map node and slot).
     */
    public record StateSize(long serializedBytes, long onHeapBytes) {
        public static StateSize of(int keys) {
            long keyBytes = KEY_PREFIX.length() + 32;
            long serialized = keys * (keyBytes + 8 + 4 + 8);
            long string = 24 + 16 + ((keyBytes + 7) / 8) * 8;
            long onHeap = keys * (string + 24 + 32 + 16 + 32 + 8);
            return new StateSize(serialized, onHeap);
        }

        public String describe() {
            return String.format(Locale.ROOT, "state at its peak: ~%.0f MiB serialized, ~%.0f MiB as Java objects",
                    serializedBytes / 1048576.0, onHeapBytes / 1048576.0);
        }
    }

    /** Events to produce: the counted ones plus one closing event per partition. */
    public long total() {
        return total + PARTITIONS;
    }

    public boolean hasNext() {
        return next != null;
    }

    public Event next() {
        Event event = next;
        advance();
        return event;
    }

    private void advance() {
        while (round < 3) {
            if (position == keys) {
                round++;
                position = 0;
                continue;
            }
            int k = (int) ((position++ * stride) % keys);
            if (expectedCount(k) > round) {
                long timestampMs = WINDOW_START_MS + emitted++ * SPREAD_MS / total;
                next = new Event(k % PARTITIONS, key(k).getBytes(StandardCharsets.UTF_8),
                        COUNTED.getBytes(StandardCharsets.UTF_8), timestampMs);
                return;
            }
        }
        if (closed < PARTITIONS) {
            next = new Event(closed, ("closing-" + closed).getBytes(StandardCharsets.UTF_8),
                    CLOSING.getBytes(StandardCharsets.UTF_8), CLOSING_MS);
            closed++;
            return;
        }
        next = null;
    }

    /** A stride coprime to {@code keys}, near the golden ratio of it, so that consecutive keys scatter. */
    private static long strideFor(int keys) {
        long stride = Math.max(1, (long) (keys * 0.6180339887)) | 1;
        while (gcd(stride, keys) != 1) {
            stride += 2;
        }
        return stride;
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    private static long mix(long k) {
        long z = k * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        return z ^ (z >>> 27);
    }
}
