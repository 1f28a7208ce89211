package dev.hearth.testing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link KafkaCluster} end to end with Hearth's own kafka-clients. A 3-node Apache Kafka cluster survives the kill -9 of a partition leader under load without losing an
 * acknowledged record (acks=all, idempotent producer, RF 3, min.insync.replicas 2), and the killed node, restarted,
 * rejoins the ISR. In the SCRAM mode, users log in with their passwords only and the authorizer enforces ACLs.
 */
class KafkaClusterTest {

    private static final String TOPIC = "failover";
    private static final int PARTITIONS = 3;

    @Test
    void killedLeaderLosesNoAcknowledgedRecordAndRejoinsTheIsr(@TempDir(cleanup = CleanupMode.ON_SUCCESS) Path workDir) throws Exception {
        long startNanos = System.nanoTime();
        try (KafkaCluster cluster = KafkaCluster.start(workDir, 3)) {
            System.out.printf("KafkaCluster: 3 brokers up in %d ms at %s%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos), cluster.bootstrapServers());
            try (Admin admin = Admin.create(cluster.clientProperties())) {
                admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 3)
                        .configs(Map.of("min.insync.replicas", "2")))).all().get(60, TimeUnit.SECONDS);
            }
            for (int partition = 0; partition < PARTITIONS; partition++) {
                cluster.awaitIsr(TOPIC, partition, 3, Duration.ofSeconds(60));
            }

            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            AtomicReference<Exception> sendFailure = new AtomicReference<>();
            AtomicBoolean stop = new AtomicBoolean();
            Thread producing = new Thread(() -> produce(cluster, acknowledged, sendFailure, stop), "producing");
            producing.start();
            try {
                await("records acknowledged before the kill").atMost(Duration.ofSeconds(60))
                        .until(() -> acknowledged.size() >= 2_000);
                int leader = cluster.leaderOf(TOPIC, 0);
                cluster.kill(leader);
                int acknowledgedAtKill = acknowledged.size();
                // The metadata names the dead node until the controller fences it (broker session timeout).
                await("partition 0 to fail over from node " + leader).atMost(Duration.ofSeconds(60))
                        .until(() -> cluster.leaderOf(TOPIC, 0) != leader);
                await("records acknowledged after the kill").atMost(Duration.ofSeconds(60))
                        .until(() -> acknowledged.size() >= acknowledgedAtKill + 2_000);

                cluster.restart(leader);
                for (int partition = 0; partition < PARTITIONS; partition++) {
                    List<Integer> isr = cluster.awaitIsr(TOPIC, partition, 3, Duration.ofSeconds(90));
                    assertTrue(isr.contains(leader), "node " + leader + " is back in the ISR of partition "
                            + partition + ": " + isr);
                }
            } finally {
                stop.set(true);
                producing.join(TimeUnit.MINUTES.toMillis(2));
            }
            assertNull(sendFailure.get(), "no send failed (acks=all with 2 of 3 replicas always alive)");

            List<String> read = readAll(cluster);
            Set<String> lost = new HashSet<>(acknowledged);
            lost.removeAll(read);
            assertEquals(0, lost.size(), "every acknowledged record is readable after the failover; lost "
                    + lost.size() + " of " + acknowledged.size() + ", e.g. " + lost.stream().limit(5).toList());
            System.out.printf("KafkaCluster: %d records acknowledged, %d read, %d lost; test took %d ms%n",
                    acknowledged.size(), read.size(), lost.size(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
        }
    }

    @Test
    void saslScramClusterAuthenticatesUsersAndEnforcesAcls(@TempDir(cleanup = CleanupMode.ON_SUCCESS) Path workDir)
            throws Exception {
        try (KafkaCluster cluster = KafkaCluster.builder(workDir).brokers(3).withSaslScram("admin", "admin-secret")
                .start()) {
            try (Admin admin = Admin.create(cluster.clientProperties())) {
                admin.createTopics(List.of(new NewTopic("secured", 1, (short) 3))).all().get(60, TimeUnit.SECONDS);
                cluster.addScramUser("alice", "alice-secret");

                Map<String, Object> alice = cluster.clientProperties("alice", "alice-secret");
                alice.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
                try (KafkaProducer<String, String> producer = new KafkaProducer<>(alice, new StringSerializer(),
                        new StringSerializer())) {
                    ExecutionException denied = assertThrows(ExecutionException.class,
                            () -> producer.send(new ProducerRecord<>("secured", "a", "1")).get(60, TimeUnit.SECONDS),
                            "alice may not write without an ACL");
                    assertInstanceOf(TopicAuthorizationException.class, denied.getCause(), denied.toString());
                }

                admin.createAcls(List.of(new AclBinding(new ResourcePattern(ResourceType.TOPIC, "secured",
                        PatternType.LITERAL), new AccessControlEntry("User:alice", "*", AclOperation.WRITE,
                        AclPermissionType.ALLOW)))).all().get(60, TimeUnit.SECONDS);
                // ACLs reach every broker through the metadata log, asynchronously.
                await("alice's WRITE ACL to take effect").atMost(Duration.ofSeconds(60)).ignoreExceptions()
                        .until(() -> {
                            try (KafkaProducer<String, String> producer = new KafkaProducer<>(alice,
                                    new StringSerializer(), new StringSerializer())) {
                                producer.send(new ProducerRecord<>("secured", "a", "1")).get(30, TimeUnit.SECONDS);
                                return true;
                            }
                        });

                Map<String, Object> wrongPassword = cluster.clientProperties("alice", "not-her-password");
                try (Admin impostor = Admin.create(wrongPassword)) {
                    ExecutionException refused = assertThrows(ExecutionException.class,
                            () -> impostor.describeCluster().nodes().get(60, TimeUnit.SECONDS),
                            "a wrong password does not log in");
                    assertInstanceOf(SaslAuthenticationException.class, refused.getCause(), refused.toString());
                }
            }
        }
    }

    /**
     * Sends numbered records round-robin over the partitions in rounds of 100, flushing after each and pausing 20 ms
     * (at most ~5,000 records/s: the brokers share two cores with this JVM), until stopped.
     */
    private static void produce(KafkaCluster cluster, Set<String> acknowledged, AtomicReference<Exception> failure,
            AtomicBoolean stop) {
        Map<String, Object> properties = cluster.clientProperties();
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(properties, new StringSerializer(),
                new StringSerializer())) {
            long next = 0;
            while (!stop.get() && failure.get() == null) {
                for (int i = 0; i < 100; i++, next++) {
                    String value = Long.toString(next);
                    producer.send(new ProducerRecord<>(TOPIC, (int) (next % PARTITIONS), value, value),
                            (metadata, exception) -> {
                                if (exception == null) {
                                    acknowledged.add(value);
                                } else {
                                    failure.compareAndSet(null, exception);
                                }
                            });
                }
                producer.flush();
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
        }
    }

    /** Every record of the topic, from the beginning up to the end offsets at the time of the call. */
    private static List<String> readAll(KafkaCluster cluster) {
        Map<String, Object> properties = cluster.clientProperties();
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<TopicPartition> partitions = new ArrayList<>();
        for (int partition = 0; partition < PARTITIONS; partition++) {
            partitions.add(new TopicPartition(TOPIC, partition));
        }
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> endOffsets = consumer.endOffsets(partitions, Duration.ofSeconds(60));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < endOffsets.get(partition))) {
                assertTrue(System.nanoTime() < deadline, "read up to the end offsets " + endOffsets + " within 60 s");
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }
}
