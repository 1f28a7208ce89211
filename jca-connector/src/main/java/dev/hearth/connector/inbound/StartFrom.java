package dev.hearth.connector.inbound;

/** Where a group without a committed offset starts reading a partition. */
enum StartFrom {
    EARLIEST, LATEST, TIMESTAMP
}
