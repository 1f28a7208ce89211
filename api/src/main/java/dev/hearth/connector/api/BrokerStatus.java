package dev.hearth.connector.api;

/**
 * The adapter's engine state.
 *
 * @param state        STARTING, RUNNING, DEGRADED (running, but appends are refused: the data directory's file
 *                     system is full), FAILED or STOPPED
 * @param detail       why it is not RUNNING, or a short summary
 * @param offlinePartitions partitions taken offline by storage failures
 */
public record BrokerStatus(State state, String detail, int offlinePartitions) {

    public enum State { STARTING, RUNNING, DEGRADED, FAILED, STOPPED }
}
