package dev.hearth.engine;

/**
 * The disk failed under a partition, or its files are corrupt where they were known to be durable. The
 * partition has been taken offline; other partitions keep working. Retriable in Kafka's sense: a client may
 * retry once an operator has repaired or replaced the partition.
 */
public class StorageException extends RetriableHearthException {

    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
