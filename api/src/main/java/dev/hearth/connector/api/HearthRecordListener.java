package dev.hearth.connector.api;

/**
 * The message-listener contract of Hearth's resource adapter: a message-driven bean implementing it
 * receives the records of the topics its activation names, one call per record, in offset order within a
 * partition (or within a key with {@code ordering=key}). Returning normally acknowledges the record; its
 * offset is committed only then (or with the container transaction, for transacted delivery). Throwing
 * makes the adapter retry with backoff and, after {@code retries}, publish the record to the dead-letter
 * topic ({@code deadLetterTopic}, default {@code <topic>.DLT}) and go on with the next one.
 *
 * <p>Activation properties: {@code topics} (comma-separated) or {@code topicPattern} (regex), {@code groupId},
 * {@code startFrom} ({@code earliest}, {@code latest} or {@code timestamp:<epoch ms>}), {@code maxConcurrency},
 * {@code ordering} ({@code partition} or {@code key}), {@code maxPollRecords}, {@code retries},
 * {@code retryBackoffMs}, {@code deadLetterTopic}, {@code sessionTimeoutMs}, {@code offsetsDataSource} (for a transacted
 * bean: the JNDI name of the data source it writes to, where Hearth keeps the group's consumed offsets in the
 * delivery transaction, table {@code hearth_consumer_offsets}: exactly-once into that database, XA or not),
 * {@code principal} (whom the bean consumes as, {@code User:<name>}, default {@code User:ANONYMOUS}: it needs the
 * ACLs a Kafka consumer needs, Read on the group and on each topic; topics it may not read are not delivered, and
 * without Read on the group nothing is, with warning HEARTH-0737, until the ACLs allow it).
 */
public interface HearthRecordListener {

    void onRecord(HearthRecord record);
}
