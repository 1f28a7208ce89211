package dev.hearth.group;

/**
 * The outcome of a group operation, as the Kafka error it maps to. The codes are those of
 * {@code org.apache.kafka.common.protocol.Errors} (checked against kafka-clients 4.4.0), so the Kafka-protocol
 * layer writes {@link #code()} as it is; other callers (message-driven-bean activations) act on
 * {@link #requiresRejoin()} and {@link #isRetriable()} instead of on codes.
 */
public enum GroupError {

    NONE(0, Recovery.NONE),
    /** An unexpected failure; the request may or may not have taken effect. */
    UNKNOWN_SERVER_ERROR(-1, Recovery.GIVE_UP),
    /** A committed offset's metadata exceeds the coordinator's limit. */
    OFFSET_METADATA_TOO_LARGE(12, Recovery.GIVE_UP),
    /** The coordinator is closed or its storage failed; find the coordinator again and retry. */
    COORDINATOR_NOT_AVAILABLE(15, Recovery.RETRY),
    /** The member's generation is not the group's: it missed a rebalance. */
    ILLEGAL_GENERATION(22, Recovery.REJOIN),
    /** The member's protocol type or protocols do not match the group's. */
    INCONSISTENT_GROUP_PROTOCOL(23, Recovery.GIVE_UP),
    INVALID_GROUP_ID(24, Recovery.GIVE_UP),
    /** The group does not know this member (never joined, expired or left): join again with an empty id. */
    UNKNOWN_MEMBER_ID(25, Recovery.REJOIN),
    /** The session timeout is outside the coordinator's allowed range. */
    INVALID_SESSION_TIMEOUT(26, Recovery.GIVE_UP),
    /** The group is rebalancing: the member must join again. */
    REBALANCE_IN_PROGRESS(27, Recovery.REJOIN),
    /** A commit was too large to append to the offsets topic. */
    INVALID_COMMIT_OFFSET_SIZE(28, Recovery.GIVE_UP),
    /** The group still has members, so it cannot be deleted or have its offsets reset. */
    NON_EMPTY_GROUP(68, Recovery.GIVE_UP),
    GROUP_ID_NOT_FOUND(69, Recovery.GIVE_UP),
    /** OffsetDelete: a member of the group is subscribed to the partition's topic, so its offset stays. */
    GROUP_SUBSCRIBED_TO_TOPIC(86, Recovery.GIVE_UP),
    /** A new member must join again with the member id carried by the result. */
    MEMBER_ID_REQUIRED(79, Recovery.REJOIN),
    /** Static membership fencing; never returned while static members are treated as dynamic ones. */
    FENCED_INSTANCE_ID(82, Recovery.GIVE_UP);

    /** What a well-behaved client does next. */
    private enum Recovery { NONE, RETRY, REJOIN, GIVE_UP }

    private final short code;
    private final Recovery recovery;

    GroupError(int code, Recovery recovery) {
        this.code = (short) code;
        this.recovery = recovery;
    }

    /** The Kafka protocol error code. */
    public short code() {
        return code;
    }

    /** The same request may succeed when sent again later, unchanged. */
    public boolean isRetriable() {
        return recovery == Recovery.RETRY;
    }

    /** The member must send a new JoinGroup (with an empty member id after {@link #UNKNOWN_MEMBER_ID}). */
    public boolean requiresRejoin() {
        return recovery == Recovery.REJOIN;
    }

    /** The error of this Kafka code; {@link #UNKNOWN_SERVER_ERROR} for a code this enum does not carry. */
    public static GroupError forCode(short code) {
        for (GroupError error : values()) {
            if (error.code == code) {
                return error;
            }
        }
        return UNKNOWN_SERVER_ERROR;
    }
}
