package dev.hearth.engine;

/**
 * A transaction that ended with an ABORT marker: its producer and the offset range from its first record
 * to its marker. Readers at READ_COMMITTED drop that producer's records in the range.
 */
public record AbortedTransaction(long producerId, long firstOffset, long lastOffset) {
}
