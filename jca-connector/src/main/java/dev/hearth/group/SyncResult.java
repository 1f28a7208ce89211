package dev.hearth.group;

/**
 * The answer to a {@link SyncRequest}.
 *
 * @param assignment the member's assignment for the generation, as the leader computed it; empty on an
 *                   error. Not copied.
 */
public record SyncResult(GroupError error, String protocolType, String protocolName, byte[] assignment) {

    private static final byte[] NO_ASSIGNMENT = new byte[0];

    static SyncResult failed(GroupError error) {
        return new SyncResult(error, null, null, NO_ASSIGNMENT);
    }
}
