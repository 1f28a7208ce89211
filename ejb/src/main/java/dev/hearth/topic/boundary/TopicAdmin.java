package dev.hearth.topic.boundary;

import java.util.List;
import java.util.Map;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

import dev.hearth.connector.api.TopicDescription;
import dev.hearth.platform.control.LogConnections;

/** Topic administration for the REST API and the console. Topic changes are not transactional. */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class TopicAdmin {

    @Inject
    LogConnections connections;

    public List<TopicDescription> list() {
        return connections.apply(connection -> connection.listTopics());
    }

    public TopicDescription create(String topic, int partitions, Map<String, String> configs) {
        return connections.apply(connection -> connection.createTopic(topic, partitions, configs));
    }

    public TopicDescription describe(String topic) {
        return connections.apply(connection -> connection.describeTopic(topic));
    }

    public TopicDescription alterConfigs(String topic, Map<String, String> changes) {
        return connections.apply(connection -> connection.alterTopicConfigs(topic, changes));
    }

    public TopicDescription addPartitions(String topic, int totalPartitions) {
        return connections.apply(connection -> connection.addPartitions(topic, totalPartitions));
    }

    public void delete(String topic) {
        connections.accept(connection -> connection.deleteTopic(topic));
    }
}
