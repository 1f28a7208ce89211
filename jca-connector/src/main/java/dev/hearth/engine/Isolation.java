package dev.hearth.engine;

/** What a reader may see of transactional records, as Kafka's {@code isolation.level}. */
public enum Isolation {
    /** Everything up to the high watermark, including records of open and aborted transactions. */
    READ_UNCOMMITTED,
    /**
     * Up to the last stable offset only (the first offset of the oldest open transaction); the result lists
     * the aborted transactions in range so the reader can drop their records.
     */
    READ_COMMITTED
}
