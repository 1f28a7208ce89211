package dev.hearth.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;

import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

/** A key must land on the partition a Kafka producer would choose for it. */
class KeyPartitionerTest {

    @Test
    void matchesKafkasProducerForRandomKeysAndPartitionCounts() {
        Random random = new Random(20240611);
        for (int i = 0; i < 20_000; i++) {
            byte[] key = new byte[random.nextInt(65)];
            random.nextBytes(key);
            int partitions = 1 + random.nextInt(i % 2 == 0 ? 16 : 10_000);
            int expected = BuiltInPartitioner.partitionForKey(key, partitions);
            int actual = KeyPartitioner.partitionForKey(key, partitions);
            int keyLength = key.length;
            assertEquals(expected, actual,
                    () -> "a " + keyLength + "-byte key over " + partitions + " partitions must go where Kafka puts it");
        }
    }

    @Test
    void matchesKafkaForKeysWhoseHashIsNegative() {
        // Integer.MIN_VALUE-like hashes are the classic trap for Math.abs-based partitioners.
        int checked = 0;
        Random random = new Random(7);
        while (checked < 1000) {
            byte[] key = new byte[8];
            random.nextBytes(key);
            if (org.apache.kafka.common.utils.Utils.murmur2(key) < 0) {
                assertEquals(BuiltInPartitioner.partitionForKey(key, 7), KeyPartitioner.partitionForKey(key, 7),
                        "a key whose murmur2 hash is negative must still map as Kafka maps it");
                checked++;
            }
        }
    }

    @Test
    void aPartitionCountBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> KeyPartitioner.partitionForKey(new byte[] {1}, 0),
                "no partition can be chosen among zero");
    }
}
