package dev.hearth.group;

/** An in-process member could not join, sync with or stay in its group; the caller retries later. */
public class GroupMembershipException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The coordinator's answer when it refused the member, or null when the cause lies elsewhere. */
    private final GroupError error;

    public GroupMembershipException(String message) {
        super(message);
        this.error = null;
    }

    public GroupMembershipException(String message, GroupError error) {
        super(message);
        this.error = error;
    }

    public GroupMembershipException(String message, Throwable cause) {
        super(message, cause);
        this.error = null;
    }

    /** The coordinator's refusal (e.g. INVALID_SESSION_TIMEOUT), or null. */
    public GroupError error() {
        return error;
    }
}
