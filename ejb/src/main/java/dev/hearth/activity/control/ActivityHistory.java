package dev.hearth.activity.control;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The last few minutes of the cluster's activity, for the console's charts: a ring buffer of at most
 * {@code capacity} samples, the oldest overwritten first, so a page opened now shows the recent past. A sample's
 * produce rate comes from the growth of the log end offsets since the previous observation (a new partition counts
 * from zero, a deleted one drops out rather than counting as negative). In memory only: a restart starts empty.
 * Thread-safe: every method synchronizes on the history; none does I/O.
 */
public final class ActivityHistory {

    /**
     * One point of the charts.
     *
     * @param atMs             epoch milliseconds of the observation
     * @param recordsPerSecond records appended per second since the previous observation, all topics
     * @param totalLag         records behind, summed over every group's committed offsets
     */
    public record Sample(long atMs, double recordsPerSecond, long totalLag) {
    }

    private final Sample[] ring;
    /** Index the next sample goes to. */
    private int next;
    /** Samples held, at most {@code ring.length}. */
    private int size;
    /** Log end offset per "topic/partition" at the previous observation; null before the first. */
    private Map<String, Long> lastEndOffsets;
    private long lastAtMs;

    public ActivityHistory(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive, not " + capacity);
        }
        ring = new Sample[capacity];
    }

    /**
     * Records an observation: the log end offset of every partition ("topic/partition") and the total lag at
     * {@code atMs}. The first observation only sets the baseline, as a rate needs two.
     */
    public synchronized void observe(long atMs, Map<String, Long> logEndOffsets, long totalLag) {
        if (lastEndOffsets != null && atMs > lastAtMs) {
            long appended = 0;
            for (Map.Entry<String, Long> partition : logEndOffsets.entrySet()) {
                appended += Math.max(0, partition.getValue() - lastEndOffsets.getOrDefault(partition.getKey(), 0L));
            }
            ring[next] = new Sample(atMs, appended * 1000.0 / (atMs - lastAtMs), totalLag);
            next = (next + 1) % ring.length;
            size = Math.min(size + 1, ring.length);
        }
        lastEndOffsets = Map.copyOf(logEndOffsets);
        lastAtMs = atMs;
    }

    /** The samples held, oldest first. */
    public synchronized List<Sample> samples() {
        List<Sample> samples = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            samples.add(ring[(next - size + i + ring.length) % ring.length]);
        }
        return samples;
    }
}
