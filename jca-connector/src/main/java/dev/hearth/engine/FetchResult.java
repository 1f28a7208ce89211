package dev.hearth.engine;

import java.util.List;

import org.apache.kafka.common.record.internal.Records;

/**
 * Bytes read from a partition, as stored. {@code records} is a view (a file region of a segment, never a
 * copy): it can be transferred to a socket with zero copy, or iterated batch by batch. The first batch may
 * start before the requested offset (batches are never split); readers skip records below it. The last
 * batch may be cut short by the byte limit, as in Kafka; readers ignore a trailing partial batch.
 *
 * @param records             record batches, possibly empty
 * @param highWatermark       offset up to which records are readable uncommitted
 * @param lastStableOffset    offset below which every transaction is decided
 * @param logStartOffset      first offset still in the log
 * @param logEndOffset        offset the next appended record will get
 * @param abortedTransactions for READ_COMMITTED reads, the aborted transactions overlapping the range read
 */
public record FetchResult(Records records, long highWatermark, long lastStableOffset, long logStartOffset,
                          long logEndOffset, List<AbortedTransaction> abortedTransactions) {
}
