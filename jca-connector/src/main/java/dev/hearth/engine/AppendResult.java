package dev.hearth.engine;

/**
 * What one append did.
 *
 * @param baseOffset    offset given to the first record
 * @param lastOffset    offset given to the last record
 * @param logAppendTime the broker time stamped on the batches, or -1 when the topic keeps CreateTime
 * @param logStartOffset the partition's log start offset after the append
 */
public record AppendResult(long baseOffset, long lastOffset, long logAppendTime, long logStartOffset) {

    public long recordCount() {
        return lastOffset - baseOffset + 1;
    }
}
