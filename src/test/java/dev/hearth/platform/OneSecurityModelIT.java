package dev.hearth.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.hearth.platform.RestClient.Reply;

/**
 * One user and one set of ACLs for both protocols, on a real Payara Micro whose Kafka listener speaks SASL_SSL only:
 * a user created over REST logs in over Kafka with SCRAM-SHA-512; an ACL granted over REST lets it consume over
 * Kafka, and one granted with Kafka's Admin API lets it read over REST; a DENY made over REST refuses the Kafka
 * consumer; what it may not describe is absent from both its Metadata and its REST topic list; and the audit trail
 * holds the ACL changes of both protocols with their principal.
 */
class OneSecurityModelIT {

    private static final String USER = "carol";
    private static final String PASSWORD = "carol-Secret-1";
    private static final String GRANTED = "ledger";
    private static final String SECRET = "payroll";
    private static final String GROUP = "carol-readers";

    private static HearthServer server;
    private static RestClient admin;

    @BeforeAll
    static void start() throws Exception {
        server = HearthServer.onFreshDataDir("one-model").withKafkaSaslSsl().start();
        admin = new RestClient(server.baseUri());
        try (Admin kafkaAdmin = Admin.create(server.kafkaClientProperties());
             KafkaProducer<String, String> producer = new KafkaProducer<>(withSerializers(server.kafkaClientProperties()))) {
            kafkaAdmin.createTopics(List.of(new NewTopic(GRANTED, 1, (short) 1), new NewTopic(SECRET, 1, (short) 1)))
                    .all().get(60, TimeUnit.SECONDS);
            producer.send(new ProducerRecord<>(GRANTED, "k", "credit 10")).get(60, TimeUnit.SECONDS);
            producer.send(new ProducerRecord<>(SECRET, "k", "salary 100")).get(60, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void restAndKafkaShareUsersAndAclsAndBothAreAudited() throws Exception {
        Reply created = admin.put(RestClient.CLUSTER + "/users/" + USER,
                Json.createObjectBuilder().add("password", PASSWORD).build());
        assertTrue(created.status() == 200 || created.status() == 201, "a user created over REST: " + created);
        assertEquals(201, grant(USER, "TOPIC", GRANTED, "READ", "ALLOW").status());
        assertEquals(201, grant(USER, "GROUP", GROUP, "READ", "ALLOW").status());

        assertEquals(List.of("credit 10"), consume(GRANTED), "the REST grant lets the user consume over Kafka");
        ExecutionException refused = assertThrows(ExecutionException.class, () -> {
            try (Admin carol = Admin.create(carol())) {
                carol.describeTopics(List.of(SECRET)).allTopicNames().get(60, TimeUnit.SECONDS);
            }
        });
        assertInstanceOf(TopicAuthorizationException.class, refused.getCause(), "no Describe on " + SECRET);
        try (Admin carol = Admin.create(carol())) {
            assertEquals(Set.of(GRANTED), carol.listTopics().names().get(60, TimeUnit.SECONDS),
                    "Metadata shows only what the user may describe");
        }
        RestClient carolRest = new RestClient(server.baseUri(), USER, PASSWORD);
        assertEquals(List.of(GRANTED), carolRest.get(RestClient.CLUSTER + "/topics").object().getJsonArray("data")
                .getValuesAs(JsonObject.class).stream().map(topic -> topic.getString("topic_name")).toList(),
                "and so does the REST topic list");
        assertEquals(200, carolRest.get(records(GRANTED)).status(), "the same grant lets the user read over REST");
        assertEquals(403, carolRest.get(records(SECRET)).status(), "and nothing else");

        try (Admin kafkaAdmin = Admin.create(server.kafkaClientProperties())) {
            kafkaAdmin.createAcls(List.of(new AclBinding(new ResourcePattern(ResourceType.TOPIC, SECRET, PatternType.LITERAL),
                    new AccessControlEntry("User:" + USER, "*", AclOperation.READ, AclPermissionType.ALLOW))))
                    .all().get(60, TimeUnit.SECONDS);
        }
        assertEquals(200, carolRest.get(records(SECRET)).status(), "a grant made with Kafka's Admin API applies to REST");
        assertEquals(List.of("salary 100"), consume(SECRET), "and to Kafka");

        assertEquals(201, grant(USER, "TOPIC", SECRET, "READ", "DENY").status());
        // Deny wins, and only for its operation: Read is refused, Describe (implied by the Read allowed) is not.
        assertThrows(TopicAuthorizationException.class, () -> consume(SECRET), "a DENY made over REST wins over Kafka");
        assertEquals(403, carolRest.get(records(SECRET)).status(), "and over REST");

        List<String>[] aclChanges = new List[1];
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
            aclChanges[0] = admin.get(RestClient.CLUSTER + "/audit-entries?limit=50").object().getJsonArray("data")
                    .getValuesAs(JsonObject.class).stream()
                    .filter(entry -> entry.getString("action").equals("CREATE_ACLS"))
                    .map(entry -> entry.getString("principal") + (!entry.containsKey("client_address") ? " over REST"
                            : " over Kafka"))
                    .toList();
            return aclChanges[0].size() == 4;
        });
        assertTrue(aclChanges[0].contains(HearthServer.ADMIN_USER + " over Kafka"), "the Kafka grant is audited with "
                + "its principal: " + aclChanges[0]);
        assertEquals(3, aclChanges[0].stream().filter(change -> change.equals(HearthServer.ADMIN_USER + " over REST"))
                .count(), "the REST grants too: " + aclChanges[0]);
    }

    private static Reply grant(String user, String type, String name, String operation, String permission) {
        return admin.post(RestClient.CLUSTER + "/acls", Json.createObjectBuilder().add("principal", "User:" + user)
                .add("resource_type", type).add("resource_name", name).add("operation", operation)
                .add("permission", permission).build());
    }

    private static String records(String topic) {
        return RestClient.CLUSTER + "/topics/" + topic + "/partitions/0/records?offset=0";
    }

    /** The test user's Kafka client settings: SCRAM-SHA-512 over TLS. */
    private static Properties carol() {
        Properties properties = server.kafkaClientProperties();
        properties.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                + "username=\"" + USER + "\" password=\"" + PASSWORD + "\";");
        return properties;
    }

    private static Properties withSerializers(Properties properties) {
        properties.put("key.serializer", StringSerializer.class.getName());
        properties.put("value.serializer", StringSerializer.class.getName());
        return properties;
    }

    /** Every value of the topic, read by the test user in its group. */
    private static List<String> consume(String topic) {
        Properties properties = carol();
        properties.put("group.id", GROUP);
        properties.put("auto.offset.reset", "earliest");
        properties.put("key.deserializer", StringDeserializer.class.getName());
        properties.put("value.deserializer", StringDeserializer.class.getName());
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 60_000;
            while (values.isEmpty() && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }
}
