package dev.hearth.connector.api;

import java.util.List;

/**
 * The batch form of {@link HearthRecordListener}: each call gets up to {@code maxPollRecords} consecutive
 * records of one partition, in offset order. Returning normally acknowledges them all (for transacted
 * delivery: their offset commit is part of the container transaction); throwing retries the whole batch
 * and, after {@code retries}, publishes each of its records to the dead-letter topic. Activation properties
 * are those of {@link HearthRecordListener}.
 */
public interface HearthBatchListener {

    void onRecords(List<HearthRecord> records);
}
