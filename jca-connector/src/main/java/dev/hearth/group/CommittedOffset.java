package dev.hearth.group;

/**
 * A group's committed position in one partition: the offset of the next record it will consume.
 *
 * @param offset            the next offset to consume
 * @param leaderEpoch       the partition leader epoch of the last consumed record, or -1 when unknown
 * @param metadata          free text the client stores with the offset; never null ({@code ""} when none)
 * @param commitTimestampMs when the coordinator accepted the commit (its own clock, wall-clock ms); ignored in
 *                          commit requests, where the coordinator stamps it
 */
public record CommittedOffset(long offset, int leaderEpoch, String metadata, long commitTimestampMs) {

    /** Leader epoch of a commit that does not carry one. */
    public static final int NO_LEADER_EPOCH = -1;

    public CommittedOffset {
        metadata = metadata == null ? "" : metadata;
    }

    /** An offset to commit; the coordinator sets the commit timestamp. */
    public static CommittedOffset of(long offset, int leaderEpoch, String metadata) {
        return new CommittedOffset(offset, leaderEpoch, metadata, -1);
    }

    /** An offset to commit without leader epoch or metadata. */
    public static CommittedOffset of(long offset) {
        return of(offset, NO_LEADER_EPOCH, "");
    }

    CommittedOffset stampedAt(long timestampMs) {
        return new CommittedOffset(offset, leaderEpoch, metadata, timestampMs);
    }
}
