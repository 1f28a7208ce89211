package dev.hearth.platform;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

import jakarta.json.Json;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import dev.hearth.platform.RestClient.Reply;
import dev.hearth.testing.KafkaCluster;

/**
 * Authorization on a Kafka cluster: Hearth reaches a secured cluster (SASL/SCRAM, Kafka's StandardAuthorizer) as
 * one service principal, a super user there, and still holds its HTTP users to the cluster's own ACLs: an ACL an
 * operator creates with Kafka's tools lets a user read one topic and not another the service principal may read;
 * an ACL created through Hearth's API is the cluster's; one the operator deletes stops applying in Hearth too.
 */
class ClusterAclsIT {

    private static final String SERVICE = "hearth-service";
    private static final String SERVICE_PASSWORD = "hearth-service-Secret-1";
    private static final String ALICE = "alice";
    private static final String ALICE_PASSWORD = "alice-Secret-1";
    private static final Duration RELOAD = Duration.ofSeconds(30);

    @Test
    void theClustersAclsGovernHearthsUsers() throws Exception {
        try (KafkaCluster cluster = KafkaCluster.builder(Files.createDirectories(HearthServer.workDir()
                .resolve("cluster-acls-" + System.nanoTime()))).withSaslScram(SERVICE, SERVICE_PASSWORD).start()) {
            try (Admin admin = Admin.create(cluster.clientProperties());
                 KafkaProducer<String, String> producer = new KafkaProducer<>(cluster.clientProperties(),
                         new StringSerializer(), new StringSerializer())) {
                admin.createTopics(List.of(new NewTopic("visible", 1, (short) 3), new NewTopic("secret", 1, (short) 3)))
                        .all().get();
                producer.send(new ProducerRecord<>("visible", "v", "for alice")).get();
                producer.send(new ProducerRecord<>("secret", "s", "not for alice")).get();
                admin.createAcls(List.of(allow(ALICE, "visible", AclOperation.READ))).all().get();
            }
            try (HearthServer server = HearthServer.onFreshDataDir("cluster-acls")
                    .onKafkaCluster(cluster.clientProperties())
                    .with("hearth.security.user." + ALICE + ".password", ALICE_PASSWORD).start()) {
                RestClient alice = new RestClient(server.baseUri(), ALICE, ALICE_PASSWORD);
                RestClient admin = new RestClient(server.baseUri());
                String visible = RestClient.CLUSTER + "/topics/visible/partitions/0/records?offset=0";
                String secret = RestClient.CLUSTER + "/topics/secret/partitions/0/records?offset=0";

                assertEquals(200, alice.get(visible).status(), "the cluster's ACL lets alice read 'visible'");
                Reply refused = alice.get(secret);
                assertEquals(403, refused.status(), "and only that, though Hearth's own principal may read 'secret': "
                        + refused);

                Reply granted = admin.post(RestClient.CLUSTER + "/acls", Json.createObjectBuilder()
                        .add("principal", "User:" + ALICE).add("resource_type", "TOPIC").add("resource_name", "secret")
                        .add("operation", "READ").build());
                assertEquals(201, granted.status(), granted.toString());
                try (Admin kafka = Admin.create(cluster.clientProperties())) {
                    Collection<AclBinding> onCluster = kafka.describeAcls(AclBindingFilter.ANY).values().get();
                    assertTrue(onCluster.contains(allow(ALICE, "secret", AclOperation.READ)),
                            "an ACL created through Hearth is the cluster's: " + onCluster);
                    assertEquals(200, alice.get(secret).status(), "and applies in Hearth at once");

                    kafka.deleteAcls(List.of(allow(ALICE, "visible", AclOperation.READ).toFilter())).all().get();
                    await("an ACL deleted with the cluster's tools stops applying in Hearth").atMost(RELOAD)
                            .pollInterval(Duration.ofMillis(500)).until(() -> alice.get(visible).status() == 403);
                }
            }
        }
    }

    private static AclBinding allow(String user, String topic, AclOperation operation) {
        return new AclBinding(new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL),
                new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW));
    }
}
