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
    DELETE_USER("user");

    private final String resourceType;

    AuditAction(String resourceType) {
        this.resourceType = resourceType;
    }

    public String resourceType() {
        return resourceType;
    }
}
