package dev.hearth.group;

import java.util.List;

/**
 * The answer to a {@link JoinRequest}, given when the rebalance completes (or at once on an error).
 *
 * @param error        {@link GroupError#NONE} when the member is part of generation {@code generationId}
 * @param generationId the new generation, or -1 on an error
 * @param protocolType the group's protocol type, or null on an error
 * @param protocolName the protocol chosen for this generation, or null on an error
 * @param leaderId     the member that computes the assignment, or {@code ""} on an error
 * @param memberId     the member's id: the one to rejoin with after {@link GroupError#MEMBER_ID_REQUIRED};
 *                     {@code ""} when the member was removed
 * @param members      for the leader every member with its metadata for {@code protocolName}; empty for others
 */
public record JoinResult(GroupError error, int generationId, String protocolType, String protocolName,
                         String leaderId, String memberId, List<Member> members) {

    /**
     * A member of the new generation, as the leader sees it.
     *
     * @param metadata the member's metadata for the chosen protocol; not copied
     */
    public record Member(String memberId, String groupInstanceId, byte[] metadata) {
    }

    public JoinResult {
        members = List.copyOf(members);
    }

    static JoinResult failed(GroupError error, String memberId) {
        return new JoinResult(error, -1, null, null, "", memberId, List.of());
    }

    /** True if this member computes the assignment of the generation. */
    public boolean isLeader() {
        return error == GroupError.NONE && memberId.equals(leaderId);
    }
}
