package dev.hearth.group;

/** An in-process member could not join, sync with or stay in its group; the caller retries later. */
public class GroupMembershipException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public GroupMembershipException(String message) {
        super(message);
    }

    public GroupMembershipException(String message, Throwable cause) {
        super(message, cause);
    }
}
