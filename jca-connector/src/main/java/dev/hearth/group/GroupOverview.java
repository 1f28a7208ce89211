package dev.hearth.group;

/**
 * One line of ListGroups.
 *
 * @param protocolType {@code ""} for a group that only stores offsets (a "simple" group)
 */
public record GroupOverview(String groupId, String protocolType, GroupState state) {
}
