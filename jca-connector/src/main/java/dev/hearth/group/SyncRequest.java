package dev.hearth.group;

import java.util.Map;
import java.util.Objects;

/**
 * A member asking for its assignment of a generation (Kafka's SyncGroup); the leader's request carries
 * everyone's.
 *
 * @param protocolType null when the client does not send it (SyncGroup below v5); checked otherwise
 * @param protocolName null when the client does not send it (SyncGroup below v5); checked otherwise
 * @param assignments  member id to assignment, from the leader; empty from the other members. Members the
 *                     leader leaves out get an empty assignment. Arrays are not copied.
 */
public record SyncRequest(String groupId, String memberId, int generationId, String protocolType,
                          String protocolName, Map<String, byte[]> assignments) {

    public SyncRequest {
        memberId = memberId == null ? "" : memberId;
        assignments = Map.copyOf(Objects.requireNonNull(assignments, "assignments"));
    }
}
