package dev.hearth.engine;

/**
 * When appended bytes are forced to the disk.
 *
 * @param intervalMs 0: every append is fsynced (group-committed with concurrent appends) before it is
 *                   acknowledged; above 0: a background flush every this many milliseconds, so an
 *                   operating-system crash may lose up to that much acknowledged data (a process crash
 *                   loses nothing: written bytes are in the page cache)
 */
public record FlushPolicy(long intervalMs) {

    public static final FlushPolicy EVERY_APPEND = new FlushPolicy(0);

    public FlushPolicy {
        if (intervalMs < 0) {
            throw new InvalidConfigException("hearth.flush.interval.ms must not be negative, not " + intervalMs);
        }
    }

    public boolean flushesEveryAppend() {
        return intervalMs == 0;
    }

    public static FlushPolicy periodic(long intervalMs) {
        return new FlushPolicy(intervalMs);
    }
}
