package dev.hearth.engine;

/**
 * DeleteRecords on a partition whose {@code cleanup.policy} does not include {@code delete} (a compacted topic's
 * records are removed by compaction only, as in Kafka). Nothing was deleted; over the Kafka protocol
 * POLICY_VIOLATION.
 */
public class RecordDeletionRefusedException extends HearthException {

    public RecordDeletionRefusedException(String message) {
        super(message);
    }
}
