package dev.hearth.engine;

/** Whether a partition serves requests. */
public enum PartitionState {
    ONLINE,
    /** Its files could not be opened or are corrupt where they were known durable; see the log for why. */
    OFFLINE
}
