package dev.hearth.engine;

/**
 * An append was rejected because the data directory's file system has no space left. Nothing of it was
 * written; the partition stays online and readable, and appends succeed again once space is freed.
 * Retriable, as Kafka's storage error is: a producer that retries after space was freed succeeds.
 */
public class DiskFullException extends StorageException {

    public DiskFullException(String message) {
        super(message);
    }
}
