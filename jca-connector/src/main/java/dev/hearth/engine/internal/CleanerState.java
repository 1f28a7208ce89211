package dev.hearth.engine.internal;

import dev.hearth.engine.CleanerStats;

/**
 * The {@link LogCleaner}'s memory of one partition. Kept in memory only: after a restart the whole log counts
 * as dirty and the first pass re-reads it (rewriting only segments that still change), as Kafka does when its
 * cleaner-offset checkpoint is missing. Tombstone deadlines need no persistence: they live in the batch
 * headers (the delete horizon of record-batch v2).
 *
 * <p>Thread-safety: written by the cleaner's single thread, read by anyone (volatile fields, each on its own).
 */
final class CleanerState {

    /** Offsets below this were covered by an offset map in a completed pass; 0 = nothing cleaned yet. */
    volatile long firstDirtyOffset;
    /** Earliest wall-clock millis at which a cleaned tombstone may be removed; Long.MAX_VALUE if none waits. */
    volatile long nextDeleteHorizonMs = Long.MAX_VALUE;
    /** Passes that rewrote at least one segment, since the log was opened. */
    volatile long passes;
    /** Bytes of the segments read by those passes, and bytes those passes removed. */
    volatile long bytesCleaned;
    volatile long bytesRemoved;
    /** Wall-clock millis of the end of the last pass that rewrote a segment; -1 if none. */
    volatile long lastCleanMs = -1;

    CleanerStats snapshot() {
        return new CleanerStats(firstDirtyOffset, passes, bytesCleaned, bytesRemoved, lastCleanMs);
    }
}
