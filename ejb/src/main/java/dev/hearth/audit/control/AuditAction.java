package dev.hearth.audit.control;

/** The administrative changes the audit trail records, with the kind of resource each one changes. */
public enum AuditAction {
    CREATE_TOPIC("topic"),
    DELETE_TOPIC("topic"),
    ALTER_TOPIC_CONFIGS("topic"),
    ADD_PARTITIONS("topic"),
    RESET_OFFSETS("group"),
    DELETE_GROUP("group"),
    PAUSE_JOB("job"),
    RESUME_JOB("job"),
    RESET_JOB("job"),
    RUN_JOB_BOUNDED("job"),
    CREATE_ACLS("acl"),
    DELETE_ACLS("acl"),
    ALTER_USER("user"),
    DELETE_USER("user"),
    /** Offsets written by a non-member through the Kafka protocol ({@code kafka-consumer-groups --reset-offsets}). */
    WRITE_OFFSETS("group"),
    /** Offsets deleted through the Kafka protocol ({@code kafka-consumer-groups --delete-offsets}). */
    DELETE_OFFSETS("group"),
    /** Records deleted before an offset through the Kafka protocol ({@code kafka-delete-records}). */
    DELETE_RECORDS("topic"),
    /** A transaction aborted by an operator in a partition ({@code kafka-transactions abort}). */
    ABORT_TRANSACTION("topic");

    private final String resourceType;

    AuditAction(String resourceType) {
        this.resourceType = resourceType;
    }

    public String resourceType() {
        return resourceType;
    }
}
