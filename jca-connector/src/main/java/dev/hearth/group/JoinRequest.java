package dev.hearth.group;

import java.util.List;
import java.util.Objects;

/**
 * A member asking to join, or rejoin, a group (Kafka's JoinGroup).
 *
 * @param groupId              the group; null or empty is {@link GroupError#INVALID_GROUP_ID}
 * @param memberId             the id the coordinator gave the member, or {@code ""} for a member joining the
 *                             first time
 * @param groupInstanceId      the static-membership instance id, or null; static members are treated as
 *                             dynamic ones (the id is only reported back)
 * @param clientId             the client's self-chosen name; new member ids start with it
 * @param clientHost           where the request came from, for DescribeGroups
 * @param sessionTimeoutMs     how long the coordinator keeps the member without a heartbeat
 * @param rebalanceTimeoutMs   how long a rebalance waits for this member to rejoin; 0 or less (JoinGroup v0
 *                             has none) means the session timeout, as in Kafka
 * @param protocolType         the kind of group, for example {@code consumer}; all members must agree
 * @param protocols            the assignment protocols the member supports, most preferred first
 * @param requireKnownMemberId a new member first receives {@link GroupError#MEMBER_ID_REQUIRED} and an id to
 *                             join with (Kafka's behaviour from JoinGroup v4 on)
 */
public record JoinRequest(String groupId, String memberId, String groupInstanceId, String clientId, String clientHost,
                          int sessionTimeoutMs, int rebalanceTimeoutMs, String protocolType, List<Protocol> protocols,
                          boolean requireKnownMemberId) {

    /**
     * One assignment protocol a member supports.
     *
     * @param name     the protocol's name, for example {@code range}
     * @param metadata the member's protocol-specific data (for consumers: subscription); not copied
     */
    public record Protocol(String name, byte[] metadata) {

        public Protocol {
            Objects.requireNonNull(name, "name");
            metadata = metadata == null ? new byte[0] : metadata;
        }
    }

    public JoinRequest {
        memberId = memberId == null ? "" : memberId;
        clientId = clientId == null ? "" : clientId;
        clientHost = clientHost == null ? "" : clientHost;
        protocolType = protocolType == null ? "" : protocolType;
        rebalanceTimeoutMs = rebalanceTimeoutMs > 0 ? rebalanceTimeoutMs : sessionTimeoutMs;
        protocols = List.copyOf(Objects.requireNonNull(protocols, "protocols"));
    }

    /** True for a member joining for the first time, without a member id. */
    public boolean isNewMember() {
        return memberId.isEmpty();
    }

    /** This request with a member id, as the member sends it after {@link GroupError#MEMBER_ID_REQUIRED}. */
    public JoinRequest withMemberId(String newMemberId) {
        return new JoinRequest(groupId, newMemberId, groupInstanceId, clientId, clientHost, sessionTimeoutMs,
                rebalanceTimeoutMs, protocolType, protocols, requireKnownMemberId);
    }
}
