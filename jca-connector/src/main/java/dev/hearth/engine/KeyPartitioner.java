package dev.hearth.engine;

import org.apache.kafka.common.utils.Utils;

/**
 * Kafka's default key partitioning: {@code toPositive(murmur2(key)) % partitions}, so a key lands on the
 * partition a Kafka producer would pick. Stateless and thread-safe.
 */
public final class KeyPartitioner {

    private KeyPartitioner() {
    }

    public static int partitionForKey(byte[] serializedKey, int numPartitions) {
        if (numPartitions <= 0) {
            throw new IllegalArgumentException("numPartitions must be positive, not " + numPartitions);
        }
        return Utils.toPositive(Utils.murmur2(serializedKey)) % numPartitions;
    }
}
