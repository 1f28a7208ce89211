package dev.hearth.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.admin.UserScramCredentialsDescription;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.errors.UnacceptableCredentialException;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.hearth.engine.EngineConfig;
import dev.hearth.group.CommittedOffset;
import dev.hearth.group.TopicPartitionKey;
import dev.hearth.security.SecuritySettings;

/**
 * Kafka's ACLs on the Kafka listener, driven by real kafka-clients. Every connection is {@code User:ANONYMOUS}
 * (no SASL here), which these tests take out of the super users and grant ACLs to directly in the store.
 */
class KafkaAuthorizationTest {

    static final String ME = "User:ANONYMOUS";

    @TempDir
    Path dataDir;

    KafkaBroker broker;
    Admin admin;

    @BeforeEach
    void start() throws Exception {
        broker = open(dataDir);
        admin = admin(broker);
    }

    @AfterEach
    void stop() {
        if (admin != null) {
            admin.close(Duration.ZERO);
        }
        if (broker != null) {
            broker.close();
        }
    }

    static KafkaBroker open(Path dataDir) throws InterruptedException {
        SecuritySettings settings = SecuritySettings.read(key -> key.equals("hearth.security.super.users")
                ? Optional.of("User:admin") : Optional.empty(), List.of());
        return new KafkaBroker(EngineConfig.defaults(dataDir), KafkaListenerConfig.defaults().withPort(0), settings);
    }

    static Admin admin(KafkaBroker broker) {
        return Admin.create(Map.of("bootstrap.servers", broker.bootstrap(), "default.api.timeout.ms", 15_000,
                "request.timeout.ms", 10_000));
    }

    void grant(ResourceType type, String name, PatternType patternType, AclOperation operation) {
        broker.security.acls().create(List.of(binding(type, name, patternType, operation, AclPermissionType.ALLOW)));
    }

    static AclBinding binding(ResourceType type, String name, PatternType patternType, AclOperation operation,
                              AclPermissionType permission) {
        return new AclBinding(new ResourcePattern(type, name, patternType),
                new AccessControlEntry(ME, "*", operation, permission));
    }

    void append(String topic, String value) {
        broker.engine.append(topic, 0, MemoryRecords.withRecords(Compression.NONE,
                new SimpleRecord(value.getBytes(StandardCharsets.UTF_8))));
    }

    /** The values of {@code __hearth_audit}, in order; empty when it was never created. */
    List<String> auditRecords() {
        List<String> values = new ArrayList<>();
        if (!broker.engine.topicExists(KafkaAuditTopic.NAME)) {
            return values;
        }
        for (Record record : broker.engine.read(KafkaAuditTopic.NAME, 0, 0, 1 << 20).records().records()) {
            values.add(StandardCharsets.UTF_8.decode(record.value()).toString());
        }
        return values;
    }

    @Test
    void aPrincipalConsumesWhatItMayReadAndIsRefusedTheRest() throws Exception {
        broker.engine.createTopic("granted", 1, Map.of());
        broker.engine.createTopic("secret", 1, Map.of());
        append("granted", "g1");
        append("secret", "s1");
        grant(ResourceType.TOPIC, "granted", PatternType.LITERAL, AclOperation.READ);
        grant(ResourceType.GROUP, "readers", PatternType.LITERAL, AclOperation.READ);

        try (KafkaConsumer<String, String> consumer = broker.consumer("readers", Map.of())) {
            consumer.subscribe(List.of("granted"));
            List<String> values = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 20_000;
            while (values.isEmpty() && System.currentTimeMillis() < deadline) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
                records.forEach(record -> values.add(record.value()));
            }
            assertEquals(List.of("g1"), values, "READ on the topic and the group lets the group consume it");
            consumer.commitSync();
        }
        assertEquals(1, broker.coordinator.fetchOffsets("readers", null)
                .get(new TopicPartitionKey("granted", 0)).offset(), "the group's commit was accepted");

        try (KafkaConsumer<String, String> consumer = broker.consumer(null, Map.of())) {
            consumer.assign(List.of(new TopicPartition("secret", 0)));
            assertThrows(TopicAuthorizationException.class, () -> consumer.poll(Duration.ofSeconds(10)),
                    "a topic without READ is refused with TOPIC_AUTHORIZATION_FAILED");
        }
        Set<String> listed = admin.listTopics().names().get();
        assertEquals(Set.of("granted"), listed, "Metadata lists only the topics the caller may describe");
        ExecutionException described = assertThrows(ExecutionException.class,
                () -> admin.describeTopics(List.of("secret")).allTopicNames().get());
        assertInstanceOf(TopicAuthorizationException.class, described.getCause(),
                "a requested topic the caller may not describe is TOPIC_AUTHORIZATION_FAILED");
    }

    /** One call a principal without the right ACL makes, the error it must get, and what must not have changed. */
    record Refusal(Class<? extends Throwable> expected, Call call) {
    }

    @FunctionalInterface
    interface Call {
        void run(KafkaAuthorizationTest test) throws Exception;
    }

    static Stream<Named<Refusal>> refusals() {
        TopicPartition t0 = new TopicPartition("t", 0);
        return Stream.of(
                Named.of("CreateTopics", new Refusal(TopicAuthorizationException.class,
                        test -> test.admin.createTopics(List.of(new NewTopic("created", 1, (short) 1))).all().get())),
                Named.of("DeleteTopics", new Refusal(TopicAuthorizationException.class,
                        test -> test.admin.deleteTopics(List.of("t")).all().get())),
                Named.of("DeleteTopics by id", new Refusal(TopicAuthorizationException.class,
                        test -> test.admin.deleteTopics(org.apache.kafka.common.TopicCollection.ofTopicIds(List.of(
                                org.apache.kafka.common.Uuid.fromString(test.broker.engine.topicId("t"))))).all().get())),
                Named.of("CreatePartitions", new Refusal(TopicAuthorizationException.class,
                        test -> test.admin.createPartitions(Map.of("t", NewPartitions.increaseTo(3))).all().get())),
                Named.of("IncrementalAlterConfigs", new Refusal(TopicAuthorizationException.class,
                        test -> test.admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, "t"),
                                List.of(new AlterConfigOp(new ConfigEntry("retention.ms", "1000"), AlterConfigOp.OpType.SET))))
                                .all().get())),
                Named.of("DescribeConfigs topic", new Refusal(TopicAuthorizationException.class,
                        test -> test.admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, "t")))
                                .all().get())),
                Named.of("DescribeConfigs broker", new Refusal(ClusterAuthorizationException.class,
                        test -> test.admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.BROKER, "0")))
                                .all().get())),
                Named.of("Produce", new Refusal(TopicAuthorizationException.class, test -> {
                    try (KafkaProducer<String, String> producer = test.broker.producer(Map.of("enable.idempotence", false,
                            "max.block.ms", 10_000))) {
                        producer.send(new ProducerRecord<>("t", "v")).get();
                    }
                })),
                Named.of("InitProducerId idempotent", new Refusal(ClusterAuthorizationException.class, test -> {
                    try (KafkaProducer<String, String> producer = test.broker.producer(Map.of("max.block.ms", 10_000))) {
                        producer.send(new ProducerRecord<>("t", "v")).get();
                    }
                })),
                Named.of("InitProducerId transactional", new Refusal(TransactionalIdAuthorizationException.class, test -> {
                    try (KafkaProducer<String, String> producer = test.broker.producer(Map.of("transactional.id", "tx",
                            "max.block.ms", 10_000))) {
                        producer.initTransactions();
                    }
                })),
                Named.of("Fetch", new Refusal(TopicAuthorizationException.class, test -> {
                    try (KafkaConsumer<String, String> consumer = test.broker.consumer(null, Map.of())) {
                        consumer.assign(List.of(t0));
                        consumer.poll(Duration.ofSeconds(10));
                    }
                })),
                Named.of("ListOffsets", new Refusal(TopicAuthorizationException.class,
                        test -> test.admin.listOffsets(Map.of(new TopicPartition("hidden", 0), OffsetSpec.latest()))
                                .all().get())),
                Named.of("JoinGroup", new Refusal(GroupAuthorizationException.class, test -> {
                    try (KafkaConsumer<String, String> consumer = test.broker.consumer("g", Map.of())) {
                        consumer.subscribe(List.of("t"));
                        consumer.poll(Duration.ofSeconds(10));
                    }
                })),
                Named.of("OffsetCommit (reset)", new Refusal(GroupAuthorizationException.class,
                        test -> test.admin.alterConsumerGroupOffsets("g", Map.of(t0, new OffsetAndMetadata(0))).all().get())),
                Named.of("OffsetFetch", new Refusal(GroupAuthorizationException.class,
                        test -> test.admin.listConsumerGroupOffsets("g").partitionsToOffsetAndMetadata().get())),
                Named.of("DescribeGroups", new Refusal(GroupAuthorizationException.class,
                        test -> test.admin.describeConsumerGroups(List.of("g")).all().get())),
                Named.of("DeleteGroups", new Refusal(GroupAuthorizationException.class,
                        test -> test.admin.deleteConsumerGroups(List.of("g")).all().get())),
                Named.of("CreateAcls", new Refusal(ClusterAuthorizationException.class,
                        test -> test.admin.createAcls(List.of(binding(ResourceType.TOPIC, "*", PatternType.LITERAL,
                                AclOperation.ALL, AclPermissionType.ALLOW))).all().get())),
                Named.of("DescribeAcls", new Refusal(ClusterAuthorizationException.class,
                        test -> test.admin.describeAcls(AclBindingFilter.ANY).values().get())),
                Named.of("DeleteAcls", new Refusal(ClusterAuthorizationException.class,
                        test -> test.admin.deleteAcls(List.of(AclBindingFilter.ANY)).all().get())),
                Named.of("AlterUserScramCredentials", new Refusal(ClusterAuthorizationException.class,
                        test -> test.admin.alterUserScramCredentials(List.<UserScramCredentialAlteration>of(
                                new UserScramCredentialUpsertion("bob", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256,
                                        8192), "stolen"), new UserScramCredentialDeletion("bob", ScramMechanism.SCRAM_SHA_512)))
                                .all().get())),
                Named.of("DescribeUserScramCredentials", new Refusal(ClusterAuthorizationException.class,
                        test -> test.admin.describeUserScramCredentials().all().get())),
                Named.of("DeleteRecords", new Refusal(TopicAuthorizationException.class,
                        test -> test.admin.deleteRecords(Map.of(t0, org.apache.kafka.clients.admin.RecordsToDelete
                                .beforeOffset(1))).all().get())),
                Named.of("OffsetDelete", new Refusal(GroupAuthorizationException.class,
                        test -> test.admin.deleteConsumerGroupOffsets("g", Set.of(t0)).all().get())),
                Named.of("DescribeLogDirs", new Refusal(ClusterAuthorizationException.class,
                        test -> test.admin.describeLogDirs(List.of(0)).allDescriptions().get())),
                Named.of("DescribeProducers", new Refusal(TopicAuthorizationException.class,
                        test -> test.admin.describeProducers(List.of(t0)).all().get())),
                Named.of("DescribeTransactions", new Refusal(TransactionalIdAuthorizationException.class,
                        test -> test.admin.describeTransactions(List.of("tx")).all().get())),
                Named.of("WriteTxnMarkers (abort)", new Refusal(ClusterAuthorizationException.class,
                        test -> test.admin.abortTransaction(new org.apache.kafka.clients.admin.AbortTransactionSpec(
                                t0, 1, (short) 0, 0)).all().get())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void aDeniedRequestGetsKafkasAuthorizationErrorAndChangesNothing(Refusal refusal) throws Exception {
        broker.engine.createTopic("t", 1, Map.of());
        append("t", "existing");
        broker.coordinator.commitOffsets("g", "", -1,
                Map.of(new TopicPartitionKey("t", 0), CommittedOffset.of(1, -1, "")));
        broker.security.users().setPassword("bob", org.apache.kafka.common.security.scram.internals.ScramMechanism.SCRAM_SHA_256,
                "secret".toCharArray(), 4096);
        broker.security.users().setPassword("bob", org.apache.kafka.common.security.scram.internals.ScramMechanism.SCRAM_SHA_512,
                "secret".toCharArray(), 4096);
        // Enough to see the topic (clients need its metadata) and nothing else.
        grant(ResourceType.TOPIC, "t", PatternType.LITERAL, AclOperation.DESCRIBE);
        List<AclBinding> aclsBefore = broker.security.acls().acls(AclBindingFilter.ANY);
        Map<String, String> configsBefore = broker.engine.configOverrides("t");

        Throwable failure = assertThrows(Throwable.class, () -> refusal.call().run(this), "the call is refused");
        // The error Kafka's broker gives, somewhere in the client's chain: an idempotent producer refused its producer
        // id may report it wrapped in "error state" once its transaction manager has seen it first.
        Throwable cause = failure;
        while (!refusal.expected().isInstance(cause) && cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        assertInstanceOf(refusal.expected(), cause, "the refusal is Kafka's authorization error: " + failure);

        assertFalse(broker.engine.topicExists("created"), "no topic was created");
        assertTrue(broker.engine.topicExists("t"), "the topic was not deleted");
        assertEquals(1, broker.engine.partitionCount("t"), "no partition was added");
        assertEquals(configsBefore, broker.engine.configOverrides("t"), "no config was altered");
        assertEquals(1, broker.engine.describePartition("t", 0).highWatermark(), "nothing was appended");
        assertEquals(0, broker.engine.describePartition("t", 0).logStartOffset(), "no record was deleted");
        assertEquals(1, broker.coordinator.fetchOffsets("g", null).get(new TopicPartitionKey("t", 0)).offset(),
                "the group and its committed offset are unchanged");
        assertEquals(aclsBefore, broker.security.acls().acls(AclBindingFilter.ANY), "no ACL was created or deleted");
        assertEquals(Set.of(org.apache.kafka.common.security.scram.internals.ScramMechanism.SCRAM_SHA_256,
                        org.apache.kafka.common.security.scram.internals.ScramMechanism.SCRAM_SHA_512),
                broker.security.users().describe().get("bob").keySet(), "the user's credentials are unchanged");
        assertTrue(broker.security.users().verifyPassword("bob", "secret".toCharArray()), "bob's password is unchanged");
        assertEquals(List.of(), auditRecords(), "a refused request leaves no audit record");
    }

    @Test
    void joiningAGroupNeedsReadOnItAndOffsetFetchHidesTopicsThatCannotBeDescribed() throws Exception {
        broker.engine.createTopic("t", 1, Map.of());
        broker.engine.createTopic("hidden", 1, Map.of());
        broker.coordinator.commitOffsets("g", "", -1, Map.of(new TopicPartitionKey("t", 0), CommittedOffset.of(0, -1, ""),
                new TopicPartitionKey("hidden", 0), CommittedOffset.of(0, -1, "")));
        grant(ResourceType.TOPIC, "t", PatternType.LITERAL, AclOperation.READ);
        grant(ResourceType.GROUP, "g", PatternType.LITERAL, AclOperation.DESCRIBE);
        try (KafkaConsumer<String, String> consumer = broker.consumer("g", Map.of())) {
            consumer.subscribe(List.of("t"));
            assertThrows(GroupAuthorizationException.class, () -> consumer.poll(Duration.ofSeconds(10)),
                    "DESCRIBE finds the coordinator, but JoinGroup needs READ on the group");
        }
        assertEquals(Set.of(new TopicPartition("t", 0)),
                admin.listConsumerGroupOffsets("g").partitionsToOffsetAndMetadata().get().keySet(),
                "OffsetFetch for all topics leaves out those the caller may not describe");
    }

    @Test
    void transactionsNeedWriteOnTheirIdTheirTopicsAndReadOnTheirGroup() throws Exception {
        broker.engine.createTopic("t", 1, Map.of());
        broker.engine.createTopic("out", 1, Map.of());
        grant(ResourceType.TRANSACTIONAL_ID, "tx", PatternType.LITERAL, AclOperation.WRITE);
        grant(ResourceType.TOPIC, "t", PatternType.LITERAL, AclOperation.DESCRIBE);
        grant(ResourceType.TOPIC, "out", PatternType.LITERAL, AclOperation.WRITE);
        try (KafkaProducer<String, String> producer = broker.producer(Map.of("transactional.id", "tx",
                "max.block.ms", 10_000))) {
            producer.initTransactions();
            producer.beginTransaction();
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> producer.send(new ProducerRecord<>("t", "v")).get());
            assertInstanceOf(TopicAuthorizationException.class, refused.getCause(),
                    "AddPartitionsToTxn needs WRITE on the topic");
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("out", "v")).get();
            org.apache.kafka.common.KafkaException offsets = assertThrows(org.apache.kafka.common.KafkaException.class,
                    () -> producer.sendOffsetsToTransaction(Map.of(new TopicPartition("t", 0), new OffsetAndMetadata(0)),
                            new org.apache.kafka.clients.consumer.ConsumerGroupMetadata("g")));
            assertInstanceOf(GroupAuthorizationException.class, offsets,
                    "AddOffsetsToTxn needs READ on the group: " + offsets);
        }
        assertEquals(0, broker.engine.describePartition("t", 0).highWatermark(), "nothing reached the refused topic");
        assertEquals(Map.of(), broker.coordinator.fetchOffsets("g", null), "no offset was committed for the group");
    }

    @Test
    void aTopicThatOptsInGetsTheProducingPrincipalStampedOnEachRecord() throws Exception {
        broker.engine.createTopic("stamped", 1, Map.of("hearth.principal.header", "produced-by"));
        broker.engine.createTopic("plain", 1, Map.of());
        grant(ResourceType.TOPIC, "*", PatternType.LITERAL, AclOperation.ALL);
        for (String compression : List.of("none", "gzip", "lz4")) {
            try (KafkaProducer<String, String> producer = broker.producer(Map.of("compression.type", compression))) {
                ProducerRecord<String, String> forged = new ProducerRecord<>("stamped", "k", "v-" + compression);
                forged.headers().add("produced-by", "User:admin".getBytes(StandardCharsets.UTF_8));
                forged.headers().add("trace", "t1".getBytes(StandardCharsets.UTF_8));
                producer.send(forged).get();
                producer.send(new ProducerRecord<>("stamped", "k", "second-" + compression)).get();
                producer.send(new ProducerRecord<>("plain", "k", "v")).get();
            }
        }
        List<org.apache.kafka.clients.consumer.ConsumerRecord<String, String>> stamped = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = broker.consumer(null, Map.of())) {
            consumer.assign(List.of(new TopicPartition("stamped", 0), new TopicPartition("plain", 0)));
            long deadline = System.currentTimeMillis() + 20_000;
            int plain = 0;
            while ((stamped.size() < 6 || plain < 3) && System.currentTimeMillis() < deadline) {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.topic().equals("stamped")) {
                        stamped.add(record);
                    } else {
                        plain++;
                        assertEquals(null, record.headers().lastHeader("produced-by"), "a topic that did not opt in is untouched");
                    }
                }
            }
        }
        assertEquals(6, stamped.size(), "every record arrived, compressed or not, idempotence intact");
        for (var record : stamped) {
            List<String> stamps = new ArrayList<>();
            record.headers().headers("produced-by").forEach(h -> stamps.add(new String(h.value(), StandardCharsets.UTF_8)));
            assertEquals(List.of("User:ANONYMOUS"), stamps, "exactly one stamp, the producing principal, never the"
                    + " forged one: " + record);
        }
        assertEquals("t1", new String(stamped.get(0).headers().lastHeader("trace").value(), StandardCharsets.UTF_8),
                "the client's other headers are kept");
        assertEquals("produced-by", admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, "stamped")))
                .all().get().values().iterator().next().get("hearth.principal.header").value(), "shown as a topic config");
    }

    @Test
    void anIdempotentProducerNeedsWriteSomewhereAndAutoCreationNeedsCreate() throws Exception {
        broker.engine.createTopic("orders-eu", 1, Map.of());
        grant(ResourceType.TOPIC, "orders-", PatternType.PREFIXED, AclOperation.WRITE);
        try (KafkaProducer<String, String> producer = broker.producer(Map.of("max.block.ms", 10_000))) {
            producer.send(new ProducerRecord<>("orders-eu", "v")).get();
        }
        assertEquals(1, broker.engine.describePartition("orders-eu", 0).highWatermark(),
                "WRITE on a prefix is WRITE on some topic: InitProducerId without IDEMPOTENT_WRITE succeeds");

        try (KafkaProducer<String, String> producer = broker.producer(Map.of("max.block.ms", 5_000))) {
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> producer.send(new ProducerRecord<>("orders-new", "v")).get());
            assertInstanceOf(TopicAuthorizationException.class, refused.getCause(),
                    "an unknown topic is auto-created only for a caller with CREATE: " + refused.getCause());
        }
        assertFalse(broker.engine.topicExists("orders-new"), "and was not created");

        grant(ResourceType.TOPIC, "orders-", PatternType.PREFIXED, AclOperation.CREATE);
        try (KafkaProducer<String, String> producer = broker.producer(Map.of("max.block.ms", 10_000))) {
            producer.send(new ProducerRecord<>("orders-new", "v")).get();
        }
        assertTrue(broker.engine.topicExists("orders-new"), "CREATE on the topic (by prefix) lets Metadata create it");
    }

    @Test
    void listGroupsShowsOnlyDescribableGroupsWithoutClusterDescribe() throws Exception {
        broker.engine.createTopic("t", 1, Map.of());
        for (String group : List.of("mine-1", "other")) {
            broker.coordinator.commitOffsets(group, "", -1,
                    Map.of(new TopicPartitionKey("t", 0), CommittedOffset.of(0, -1, "")));
        }
        grant(ResourceType.GROUP, "mine-", PatternType.PREFIXED, AclOperation.DESCRIBE);
        Set<String> listed = new java.util.HashSet<>();
        admin.listConsumerGroups().all().get().forEach(listing -> listed.add(listing.groupId()));
        assertEquals(Set.of("mine-1"), listed, "only groups the caller may describe are listed");
        grant(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL, AclOperation.DESCRIBE);
        listed.clear();
        admin.listConsumerGroups().all().get().forEach(listing -> listed.add(listing.groupId()));
        assertEquals(Set.of("mine-1", "other"), listed, "DESCRIBE on the cluster lists every group");
    }

    @Test
    void listTransactionsShowsOnlyTransactionalIdsTheCallerMayDescribe() throws Exception {
        broker.transactions.initProducerId("visible-tx", 60_000);
        broker.transactions.initProducerId("hidden-tx", 60_000);
        grant(ResourceType.TRANSACTIONAL_ID, "visible-tx", PatternType.LITERAL, AclOperation.DESCRIBE);
        assertEquals(List.of("visible-tx"), admin.listTransactions().all().get().stream()
                        .map(org.apache.kafka.clients.admin.TransactionListing::transactionalId).toList(),
                "ListTransactions filters by DESCRIBE on each transactional id, as Kafka does");
    }

    @Test
    void denyWinsOverAllowAndPrefixedPatternsMatchByPrefix() throws Exception {
        for (String topic : List.of("orders-eu", "orders-us", "payments")) {
            broker.engine.createTopic(topic, 1, Map.of());
            append(topic, topic);
        }
        grant(ResourceType.TOPIC, "orders-", PatternType.PREFIXED, AclOperation.READ);
        broker.security.acls().create(List.of(binding(ResourceType.TOPIC, "orders-us", PatternType.LITERAL,
                AclOperation.READ, AclPermissionType.DENY)));

        assertEquals(Set.of("orders-eu", "orders-us"), admin.listTopics().names().get(),
                "READ by prefix implies DESCRIBE on orders-*; a DENY READ does not deny DESCRIBE (as in Kafka);"
                        + " payments matches no pattern");
        try (KafkaConsumer<String, String> consumer = broker.consumer(null, Map.of())) {
            consumer.assign(List.of(new TopicPartition("orders-eu", 0)));
            List<String> values = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 20_000;
            while (values.isEmpty() && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> values.add(record.value()));
            }
            assertEquals(List.of("orders-eu"), values, "the prefixed allow lets orders-eu be read");
        }
        try (KafkaConsumer<String, String> consumer = broker.consumer(null, Map.of())) {
            consumer.assign(List.of(new TopicPartition("orders-us", 0)));
            assertThrows(TopicAuthorizationException.class, () -> consumer.poll(Duration.ofSeconds(10)),
                    "the literal deny wins over the prefixed allow");
        }
    }

    @Test
    void aclApisCreateListDeleteAndSurviveARestart() throws Exception {
        grant(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL, AclOperation.ALTER);
        AclBinding prefixedAllow = new AclBinding(new ResourcePattern(ResourceType.TOPIC, "orders-", PatternType.PREFIXED),
                new AccessControlEntry("User:alice", "*", AclOperation.READ, AclPermissionType.ALLOW));
        AclBinding deny = new AclBinding(new ResourcePattern(ResourceType.TOPIC, "orders-secret", PatternType.LITERAL),
                new AccessControlEntry("User:alice", "10.0.0.9", AclOperation.READ, AclPermissionType.DENY));
        admin.createAcls(List.of(prefixedAllow, deny)).all().get();
        ExecutionException invalid = assertThrows(ExecutionException.class, () -> admin.createAcls(List.of(
                new AclBinding(new ResourcePattern(ResourceType.CLUSTER, "other", PatternType.LITERAL),
                        new AccessControlEntry("User:alice", "*", AclOperation.ALTER, AclPermissionType.ALLOW))))
                .all().get());
        assertInstanceOf(org.apache.kafka.common.errors.InvalidRequestException.class, invalid.getCause(),
                "the only cluster is kafka-cluster");

        AclBindingFilter alices = new AclBindingFilter(ResourcePatternFilter.ANY,
                new AccessControlEntryFilter("User:alice", null, AclOperation.ANY, AclPermissionType.ANY));
        assertEquals(Set.of(prefixedAllow, deny), Set.copyOf(admin.describeAcls(alices).values().get()),
                "DESCRIBE (implied by ALTER) on the cluster lists the created ACLs");

        admin.close(Duration.ZERO);
        broker.close();
        broker = open(dataDir);
        admin = admin(broker);
        assertEquals(Set.of(prefixedAllow, deny), Set.copyOf(admin.describeAcls(alices).values().get()),
                "ACLs survive a restart of the broker");
        assertTrue(broker.security.authorize(new org.apache.kafka.common.security.auth.KafkaPrincipal("User", "alice"),
                "10.0.0.1", AclOperation.READ, ResourceType.TOPIC, "orders-eu"), "and still decide");

        Collection<AclBinding> deleted = admin.deleteAcls(List.of(new AclBindingFilter(
                new ResourcePatternFilter(ResourceType.TOPIC, "orders-", PatternType.PREFIXED),
                AccessControlEntryFilter.ANY))).all().get();
        assertEquals(List.of(prefixedAllow), List.copyOf(deleted), "DeleteAcls removes what its filter matches");
        assertEquals(List.of(deny), List.copyOf(admin.describeAcls(alices).values().get()), "the rest stays");

        List<String> audit = auditRecords();
        assertEquals(3, audit.size(), "two creations and one deletion are audited: " + audit);
        assertTrue(audit.get(0).contains("\"action\":\"CREATE_ACLS\"") && audit.get(0).contains("\"principal\":\"User:ANONYMOUS\"")
                && audit.get(0).contains("TOPIC:PREFIXED:orders-"), audit.get(0));
        assertTrue(audit.get(2).contains("\"action\":\"DELETE_ACLS\""), audit.get(2));
    }

    @Test
    void scramCredentialsAreAlteredDescribedAndDeletedThroughTheAdminApi() throws Exception {
        grant(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL, AclOperation.ALTER);
        grant(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL, AclOperation.DESCRIBE_CONFIGS);
        assertEquals(Map.of(), admin.describeClientQuotas(org.apache.kafka.common.quota.ClientQuotaFilter.all())
                .entities().get(), "Hearth has no client quotas (kafka-configs --describe users asks first)");
        admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion("alice",
                new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 8192), "alice-secret"))).all().get();
        assertTrue(broker.security.users().verifyPassword("alice",
                        org.apache.kafka.common.security.scram.internals.ScramMechanism.SCRAM_SHA_256, "alice-secret".toCharArray()),
                "the credential the client salted verifies the password");
        UserScramCredentialsDescription described = admin.describeUserScramCredentials(List.of("alice")).description("alice").get();
        assertEquals(List.of(new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 8192)), described.credentialInfos(),
                "described with its mechanism and iterations");

        ExecutionException tooFew = assertThrows(ExecutionException.class, () -> admin.alterUserScramCredentials(List.of(
                new UserScramCredentialUpsertion("alice", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 1000),
                        "weak"))).all().get());
        assertInstanceOf(UnacceptableCredentialException.class, tooFew.getCause(), "iterations below 4096 are refused");
        assertFalse(broker.security.users().credential("alice",
                org.apache.kafka.common.security.scram.internals.ScramMechanism.SCRAM_SHA_512).isPresent(), "and not stored");

        admin.alterUserScramCredentials(List.of(new UserScramCredentialDeletion("alice", ScramMechanism.SCRAM_SHA_256)))
                .all().get();
        assertFalse(broker.security.users().exists("alice"), "deleting the last credential deletes the user");
        ExecutionException gone = assertThrows(ExecutionException.class,
                () -> admin.describeUserScramCredentials(List.of("alice")).description("alice").get());
        assertInstanceOf(org.apache.kafka.common.errors.ResourceNotFoundException.class, gone.getCause(),
                "an unknown user is RESOURCE_NOT_FOUND");

        List<String> audit = auditRecords();
        assertEquals(2, audit.size(), "the upsertion and the deletion are audited, the refused one not: " + audit);
        assertTrue(audit.get(0).contains("\"action\":\"ALTER_USER\"") && audit.get(0).contains("\"resourceName\":\"alice\""),
                audit.get(0));
        assertFalse(audit.get(0).contains("alice-secret"), "no password in the audit trail");
        assertTrue(audit.get(1).contains("\"action\":\"DELETE_USER\""), audit.get(1));
    }

    @Test
    void kafkaSideChangesAreAuditedWithTheirPrincipal() throws Exception {
        grant(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL, AclOperation.CREATE);
        grant(ResourceType.TOPIC, "audited", PatternType.LITERAL, AclOperation.ALL);
        grant(ResourceType.GROUP, "resetters", PatternType.LITERAL, AclOperation.ALL);
        admin.createTopics(List.of(new NewTopic("audited", 1, (short) 1))).all().get();
        admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, "audited"),
                List.of(new AlterConfigOp(new ConfigEntry("retention.ms", "60000"), AlterConfigOp.OpType.SET)))).all().get();
        admin.createPartitions(Map.of("audited", NewPartitions.increaseTo(2))).all().get();
        admin.alterConsumerGroupOffsets("resetters", Map.of(new TopicPartition("audited", 0), new OffsetAndMetadata(0)))
                .all().get();
        admin.deleteConsumerGroups(List.of("resetters")).all().get();
        admin.deleteTopics(List.of("audited")).all().get();

        List<String> actions = new ArrayList<>();
        for (String record : auditRecords()) {
            assertTrue(record.contains("\"principal\":\"User:ANONYMOUS\"") && record.contains("\"clientAddress\":\"127.0.0.1\""),
                    "each record names the principal and client address: " + record);
            actions.add(record.replaceAll(".*\"action\":\"([A-Z_]+)\".*", "$1"));
        }
        assertEquals(List.of("CREATE_TOPIC", "ALTER_TOPIC_CONFIGS", "ADD_PARTITIONS", "WRITE_OFFSETS", "DELETE_GROUP",
                "DELETE_TOPIC"), actions, "every change made through the Kafka protocol is recorded once, in order");
        assertNotNull(broker.engine.describeTopic(KafkaAuditTopic.NAME), "the audit topic exists");
        assertFalse(admin.listTopics().names().get().contains(KafkaAuditTopic.NAME), "and is internal");
    }
}
