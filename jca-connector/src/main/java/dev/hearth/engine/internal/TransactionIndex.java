package dev.hearth.engine.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.hearth.engine.AbortedTransaction;

/**
 * A partition's transactions: the open ones (producer id → first offset) and the aborted ones. Kept in
 * memory and rebuilt at load by the {@link LogLoader}, which scans batch headers (transactional flag, producer
 * id, control markers), so nothing extra is written on the append path.
 *
 * <p>Invariants: the last stable offset is the smallest first offset of an open transaction, or the log end
 * offset when none is open; aborted transactions are in marker order, so their last offsets increase.
 *
 * <p>Thread-safety: mutated under the partition's append lock; read by fetches under this object's monitor.
 */
final class TransactionIndex {

    private final Map<Long, Long> openFirstOffsets = new HashMap<>();
    private final List<AbortedTransaction> aborted = new ArrayList<>();

    synchronized void onTransactionalBatch(long producerId, long baseOffset) {
        openFirstOffsets.putIfAbsent(producerId, baseOffset);
    }

    /** Records a COMMIT or ABORT marker at {@code markerOffset}; a marker without an open transaction is kept as is. */
    synchronized void onMarker(long producerId, boolean commit, long markerOffset) {
        Long first = openFirstOffsets.remove(producerId);
        if (!commit && first != null) {
            aborted.add(new AbortedTransaction(producerId, first, markerOffset));
        }
    }

    synchronized long lastStableOffset(long logEndOffset) {
        long stable = logEndOffset;
        for (long first : openFirstOffsets.values()) {
            stable = Math.min(stable, first);
        }
        return stable;
    }

    /** Aborted transactions with records in [fromOffset, toOffset). */
    synchronized List<AbortedTransaction> abortedBetween(long fromOffset, long toOffset) {
        List<AbortedTransaction> overlapping = new ArrayList<>();
        for (AbortedTransaction transaction : aborted) {
            if (transaction.lastOffset() >= fromOffset && transaction.firstOffset() < toOffset) {
                overlapping.add(transaction);
            }
        }
        return overlapping;
    }

    /** Producers with an open transaction in this partition. */
    synchronized Map<Long, Long> openTransactions() {
        return Map.copyOf(openFirstOffsets);
    }

    /** Forgets aborted transactions wholly below the log start offset (their records are gone). */
    synchronized void truncateBelow(long logStartOffset) {
        aborted.removeIf(transaction -> transaction.lastOffset() < logStartOffset);
    }
}
