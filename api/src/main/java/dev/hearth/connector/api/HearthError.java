package dev.hearth.connector.api;

/**
 * Kinds of failure an application can act on; each maps to one Kafka error code and one problem type.
 */
public enum HearthError {
    INVALID_TOPIC(false),
    TOPIC_ALREADY_EXISTS(false),
    UNKNOWN_TOPIC_OR_PARTITION(true),
    INVALID_PARTITIONS(false),
    INVALID_CONFIG(false),
    INVALID_RECORD(false),
    RECORD_TOO_LARGE(false),
    OFFSET_OUT_OF_RANGE(false),
    STORAGE_ERROR(true),
    /** The data directory's file system is full: nothing was written; retry once space is freed. */
    DISK_FULL(true),
    NOT_AVAILABLE(true),
    /** The consumer group has members: it cannot be deleted or have its offsets reset until they leave. */
    GROUP_NOT_EMPTY(false),
    GROUP_NOT_FOUND(false),
    /** The group member (a {@link GroupConsumer}) has left its group or expired. */
    MEMBER_NOT_FOUND(false),
    /**
     * The coordinator refused an offset commit: the partition is not assigned to the member, or a rebalance
     * ended the member's generation. Poll (which rejoins), then commit again.
     */
    COMMIT_FAILED(true),
    /**
     * Too many passwords are being checked at once: this login was not checked. Retry after
     * {@code retryAfterSeconds} (in the exception's details).
     */
    LOGIN_BUSY(true),
    /** A request the server refuses as malformed: an invalid ACL, user name or password (Kafka's INVALID_REQUEST). */
    INVALID_REQUEST(false),
    /** No user of that name in the user directory (Kafka's RESOURCE_NOT_FOUND). */
    USER_NOT_FOUND(false);

    private final boolean retriable;

    HearthError(boolean retriable) {
        this.retriable = retriable;
    }

    public boolean retriable() {
        return retriable;
    }
}
