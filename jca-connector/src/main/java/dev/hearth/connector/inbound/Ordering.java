package dev.hearth.connector.inbound;

/** The order guarantee of a delivery: per partition (one record at a time) or per key (keys in parallel). */
enum Ordering {
    PARTITION, KEY
}
