package dev.hearth.connector.api;

import java.util.List;

/**
 * A consumer group: its members and where it stands in every partition it has committed an offset for.
 * As in Kafka, the protocol and the members' assignments are known only while the group is {@code Stable}.
 *
 * @param state        Kafka's name of the group state ({@code Empty}, {@code Stable}, …)
 * @param protocolType {@code consumer} for kafka-clients consumers; {@code ""} when the group never had members
 * @param protocol     the assignor of the current generation ({@code range}, …) when stable, else {@code ""}
 * @param offsets      ordered by topic and partition
 * @param totalLag     sum of the partitions' {@link PartitionLag#lag()}
 */
public record GroupDetails(String groupId, String state, String protocolType, String protocol, List<Member> members,
                           List<PartitionLag> offsets, long totalLag) {

    public GroupDetails {
        members = List.copyOf(members);
        offsets = List.copyOf(offsets);
    }

    /**
     * One member.
     *
     * @param groupInstanceId the static member id, or null
     * @param assignment      the partitions assigned to it; empty unless the group is stable and its protocol
     *                        type is {@code consumer} (other protocols' assignments are opaque)
     */
    public record Member(String memberId, String groupInstanceId, String clientId, String clientHost,
                         List<TopicPartitionRef> assignment) {

        public Member {
            assignment = List.copyOf(assignment);
        }
    }

    /**
     * The group's position in one partition.
     *
     * @param committedOffset the next offset the group will consume
     * @param logEndOffset    the partition's log end offset, or -1 when the topic or partition no longer exists
     * @param lag             {@code logEndOffset - committedOffset}, never negative; 0 when the partition is gone
     */
    public record PartitionLag(String topic, int partition, long committedOffset, long logEndOffset, long lag) {
    }
}
