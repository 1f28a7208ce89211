package dev.hearth.topic.boundary;

import java.util.List;
import java.util.Map;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

import dev.hearth.audit.control.AuditAction;
import dev.hearth.audit.control.AuditTrail;
import dev.hearth.connector.api.TopicDescription;
import dev.hearth.platform.control.LogConnections;

/**
 * Topic administration for the REST API and the console. Topic changes are not transactional; each one that
 * succeeded is then written to the audit trail.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class TopicAdmin {

    @Inject
    LogConnections connections;

    @Inject
    AuditTrail audit;

    public List<TopicDescription> list() {
        return connections.apply(connection -> connection.listTopics());
    }

    public TopicDescription create(String topic, int partitions, Map<String, String> configs) {
        TopicDescription created = connections.apply(connection -> connection.createTopic(topic, partitions, configs));
        audit.record(AuditAction.CREATE_TOPIC, topic,
                "partitions=" + partitions + (configs.isEmpty() ? "" : ", " + configs));
        return created;
    }

    public TopicDescription describe(String topic) {
        return connections.apply(connection -> connection.describeTopic(topic));
    }

    public TopicDescription alterConfigs(String topic, Map<String, String> changes) {
        TopicDescription altered = connections.apply(connection -> connection.alterTopicConfigs(topic, changes));
        audit.record(AuditAction.ALTER_TOPIC_CONFIGS, topic, changes.toString());
        return altered;
    }

    public TopicDescription addPartitions(String topic, int totalPartitions) {
        TopicDescription grown = connections.apply(connection -> connection.addPartitions(topic, totalPartitions));
        audit.record(AuditAction.ADD_PARTITIONS, topic, "partitions=" + totalPartitions);
        return grown;
    }

    public void delete(String topic) {
        connections.accept(connection -> connection.deleteTopic(topic));
        audit.record(AuditAction.DELETE_TOPIC, topic, "");
    }
}
