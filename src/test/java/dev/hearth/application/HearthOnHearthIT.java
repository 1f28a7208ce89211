package dev.hearth.application;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;

import dev.hearth.platform.HearthServer;
import dev.hearth.platform.RestClient;
import dev.hearth.platform.RestClient.Reply;

/**
 * Hearth speaks the protocol it consumes: one Hearth instance (embedded engine, its Kafka listener on SASL_SSL with
 * SCRAM) is the "Kafka cluster" of another ({@code hearth.backend=kafka}, the SASL and TLS settings passed as
 * {@code hearth.backend.kafka.*}), which runs the payments example unchanged: its send in a JTA transaction goes
 * through the outbox and a transactional producer, its transacted ledger bean consumes in a consumer group, both on
 * the first instance's log.
 */
class HearthOnHearthIT {

    @Test
    void theExamplesRunOnAnotherHearthOverSaslSsl() {
        try (HearthServer log = HearthServer.onFreshDataDir("hearth-as-cluster").withKafkaSaslSsl().start()) {
            Map<String, Object> clusterProperties = new HashMap<>();
            log.kafkaClientProperties().forEach((key, value) -> clusterProperties.put((String) key, value));
            try (HearthServer app = HearthServer.onFreshDataDir("hearth-on-hearth").onKafkaCluster(clusterProperties)
                    .alsoDeploying(Path.of(System.getProperty("example.payments.war"))).start()) {
                ApplicationsNextToHearthIT.paymentsAreSentAndBookedInOneTransaction(RestClient.anonymous(app.baseUri()));

                Reply topic = new RestClient(log.baseUri()).get(RestClient.CLUSTER + "/topics/payments");
                assertEquals(200, topic.status(), "the payments live in the first instance's log: " + topic);
                JsonObject group = new RestClient(log.baseUri()).get(RestClient.CLUSTER
                        + "/consumer-groups/payments-ledger").object();
                assertTrue(group.getJsonArray("offsets").size() > 0,
                        "and the ledger bean's group commits there: " + group);
            }
        }
    }
}
