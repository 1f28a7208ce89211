package dev.hearth.connector.cluster;

import java.nio.file.Path;
import java.util.Map;

/**
 * How Hearth reaches a Kafka cluster with {@code hearth.backend=kafka}.
 *
 * @param clientProperties kafka-clients properties every client Hearth makes starts from: {@code bootstrap.servers}
 *                         ({@code hearth.backend.bootstrap.servers}) and every {@code hearth.backend.kafka.<property>}
 *                         (security protocol, SASL, TLS, ...), unchanged; secrets among them are never logged
 * @param clusterId        {@code hearth.cluster.id}: the id in REST paths (the cluster's own id is shown beside it)
 * @param instanceId       this app-server instance among those sharing the cluster ({@code hearth.instance.id}); stable
 *                         across restarts, distinct per instance: it names the stream jobs' transactional ids
 * @param dataDir          local state of this instance (users and ACL files)
 * @param outboxDataSource the JNDI name of the data source that holds the outbox of sends in JTA transactions
 *                         ({@code hearth.backend.outbox.datasource}), see {@link ClusterOutbox}
 */
public record ClusterSettings(Map<String, String> clientProperties, String clusterId, String instanceId, Path dataDir,
                              String outboxDataSource) {

    public ClusterSettings {
        clientProperties = Map.copyOf(clientProperties);
    }

    /** {@code bootstrap.servers}, for messages. */
    public String bootstrapServers() {
        return clientProperties.get("bootstrap.servers");
    }
}
