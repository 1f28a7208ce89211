package dev.hearth.txn;

import java.util.List;

import dev.hearth.group.TopicPartitionKey;

/**
 * One transactional id as the coordinator knows it now, for ListTransactions and DescribeTransactions.
 *
 * @param startMs    wall-clock milliseconds when the open transaction started; -1 when none is open
 * @param partitions the partitions of the open (or deciding) transaction, empty otherwise
 */
public record TransactionDescription(String transactionalId, long producerId, short producerEpoch,
                                     TransactionState state, int timeoutMs, long startMs,
                                     List<TopicPartitionKey> partitions) {
}
