package dev.hearth.engine;

import org.apache.kafka.common.record.internal.Records;

/**
 * Bytes read from a partition, as stored. {@code records} is a view (a file region of a segment, never a
 * copy): it can be transferred to a socket with zero copy, or iterated batch by batch. The first batch may
 * start before the requested offset (batches are never split); readers skip records below it.
 *
 * @param records        whole record batches, possibly empty
 * @param highWatermark  offset up to which records are readable
 * @param logStartOffset first offset still in the log
 * @param logEndOffset   offset the next appended record will get
 */
public record FetchResult(Records records, long highWatermark, long logStartOffset, long logEndOffset) {
}
