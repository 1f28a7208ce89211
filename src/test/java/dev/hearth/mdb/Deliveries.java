package dev.hearth.mdb;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.hearth.connector.api.HearthRecord;

/** What the test beans received, shared with the in-container test (same application class loader). */
public final class Deliveries {

    /** Records per bean, in delivery order. */
    public static final Map<String, List<HearthRecord>> RECEIVED = new ConcurrentHashMap<>();
    /** Delivery attempts per record value. */
    public static final Map<String, AtomicInteger> ATTEMPTS = new ConcurrentHashMap<>();

    /** Sizes of the batches the batch bean received. */
    public static final List<Integer> batchSizes = new CopyOnWriteArrayList<>();

    private Deliveries() {
    }

    static void received(String bean, HearthRecord record) {
        RECEIVED.computeIfAbsent(bean, b -> new CopyOnWriteArrayList<>()).add(record);
    }

    static int attempt(String value) {
        return ATTEMPTS.computeIfAbsent(value, v -> new AtomicInteger()).incrementAndGet();
    }

    public static List<HearthRecord> of(String bean) {
        return RECEIVED.getOrDefault(bean, List.of());
    }
}
