package dev.hearth.job.exec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A task's event-time bookkeeping: one channel per input partition that carries event time (a stream source
 * partition, or one upstream sender of a repartition topic), each holding the highest event time heard on it.
 * The frontier is the minimum over all channels, so a channel never heard from holds it at
 * {@link Long#MIN_VALUE}; it never decreases.
 * <p>
 * When persistent, every channel change is written to the watermark changelog in the same call (key = the
 * channel name in UTF-8: {@code topic} or {@code topic#sender}; value = int64 big-endian), so a restored task
 * resumes with exactly the frontier it had committed. Confined to the task's thread.
 */
final class WatermarkTracker {
    private final String[] channelNames;
    private final byte[][] channelKeys;     // changelog keys, precomputed
    private final long[] maxEventTimeMs;    // per channel, Long.MIN_VALUE until heard from
    private final Map<String, Integer> channelOfName = new HashMap<>();
    private final String changelogTopic;    // null: not persisted (stage without windowed operators)
    private final TaskContext context;
    private long frontierMs = Long.MIN_VALUE;

    WatermarkTracker(List<String> channelNames, String changelogTopic, TaskContext context) {
        this.channelNames = channelNames.toArray(new String[0]);
        this.channelKeys = new byte[this.channelNames.length][];
        this.maxEventTimeMs = new long[this.channelNames.length];
        for (int i = 0; i < this.channelNames.length; i++) {
            channelKeys[i] = this.channelNames[i].getBytes(StandardCharsets.UTF_8);
            maxEventTimeMs[i] = Long.MIN_VALUE;
            channelOfName.put(this.channelNames[i], i);
        }
        this.changelogTopic = changelogTopic;
        this.context = context;
    }

    static String channelName(String topic, int sender) {
        return topic + "#" + sender;
    }

    /** @return the channel of a name, or -1 */
    int channel(String name) {
        Integer channel = channelOfName.get(name);
        return channel == null ? -1 : channel;
    }

    String changelogTopic() {
        return changelogTopic;
    }

    long frontierMs() {
        return frontierMs;
    }

    /**
     * Records that {@code channel} has reached {@code eventTimeMs}.
     *
     * @return whether the frontier advanced
     */
    boolean advance(int channel, long eventTimeMs) {
        if (eventTimeMs <= maxEventTimeMs[channel]) {
            return false;
        }
        maxEventTimeMs[channel] = eventTimeMs;
        if (changelogTopic != null) {
            context.sendChangelog(changelogTopic, channelKeys[channel],
                    ByteBuffer.allocate(8).putLong(eventTimeMs).array(), context.changelogTimestampMs());
        }
        return recompute();
    }

    /** Moves every channel to the end of input. @return whether the frontier advanced */
    boolean advanceAllToEnd() {
        boolean advanced = false;
        for (int channel = 0; channel < maxEventTimeMs.length; channel++) {
            advanced |= advance(channel, Long.MAX_VALUE);
        }
        if (maxEventTimeMs.length == 0 && frontierMs != Long.MAX_VALUE) {
            frontierMs = Long.MAX_VALUE;
            context.frontierMs(frontierMs);
            advanced = true;
        }
        return advanced;
    }

    /** Applies one watermark changelog record; a channel the plan no longer has is an error. */
    void restore(byte[] key, byte[] value) {
        String name = new String(key, StandardCharsets.UTF_8);
        int channel = channel(name);
        if (channel < 0) {
            throw new IllegalStateException("watermark changelog " + changelogTopic + " names input " + name
                    + " that task " + context.id() + " does not have: did a partition count change?");
        }
        maxEventTimeMs[channel] = value == null ? Long.MIN_VALUE : ByteBuffer.wrap(value).getLong();
        recompute();
    }

    private boolean recompute() {
        long min = Long.MAX_VALUE;
        for (long max : maxEventTimeMs) {
            if (max < min) {
                min = max;
            }
        }
        if (maxEventTimeMs.length == 0) {
            min = frontierMs;
        }
        if (min > frontierMs) {
            frontierMs = min;
            context.frontierMs(min);
            return true;
        }
        return false;
    }
}
