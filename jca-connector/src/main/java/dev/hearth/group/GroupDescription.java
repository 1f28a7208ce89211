package dev.hearth.group;

import java.util.List;

/**
 * A group as DescribeGroups reports it. As in Kafka, the protocol name and the members' metadata and
 * assignments are reported only while the group is {@link GroupState#STABLE}; in other states they are empty.
 *
 * @param protocolType {@code ""} when the group never had members
 * @param protocolName the current generation's protocol when stable, else {@code ""}
 */
public record GroupDescription(String groupId, GroupState state, String protocolType, String protocolName,
                               List<MemberDescription> members) {

    /**
     * One member.
     *
     * @param metadata   the member's metadata for the group's protocol; not copied
     * @param assignment the member's current assignment; not copied
     */
    public record MemberDescription(String memberId, String groupInstanceId, String clientId, String clientHost,
                                    byte[] metadata, byte[] assignment) {
    }

    public GroupDescription {
        members = List.copyOf(members);
    }

    /** What DescribeGroups answers for a group the coordinator does not know. */
    static GroupDescription dead(String groupId) {
        return new GroupDescription(groupId, GroupState.DEAD, "", "", List.of());
    }
}
