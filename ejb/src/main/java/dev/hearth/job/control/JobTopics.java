package dev.hearth.job.control;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.hearth.connector.api.DeadLetters;
import dev.hearth.connector.api.HearthConnection;
import dev.hearth.connector.api.HearthConnectionException;
import dev.hearth.connector.api.HearthError;
import dev.hearth.connector.api.TopicDescription;
import dev.hearth.job.plan.InternalTopic;
import dev.hearth.job.plan.JobDefinition;

/**
 * Prepares a job's topics before it runs: reads the partition counts of its source topics and creates the
 * repartition and changelog topics (partitioned as the plan says) and missing sink, late-record and dead-letter
 * ({@code <job>.DLT}, {@link DeadLetters}) topics (with the first source topic's partition count). Existing topics are left as they are.
 */
public final class JobTopics {

    private JobTopics() {
    }

    /** The source topics' partition counts, or empty while one of them does not exist. */
    public static Optional<Map<String, Integer>> prepare(HearthConnection connection, JobDefinition definition) {
        Map<String, Integer> partitions = new HashMap<>();
        Set<String> existing = new HashSet<>();
        for (TopicDescription topic : connection.listTopics()) {
            existing.add(topic.name());
            partitions.put(topic.name(), topic.partitions().size());
        }
        List<String> sources = definition.sourceTopics();
        if (!existing.containsAll(sources)) {
            return Optional.empty();
        }
        Map<String, Integer> sourcePartitions = new HashMap<>();
        sources.forEach(topic -> sourcePartitions.put(topic, partitions.get(topic)));
        for (InternalTopic internal : definition.internalTopics()) {
            if (!existing.contains(internal.name())) {
                int count = definition.plan().partitionCount(internal.name(), sourcePartitions::get);
                String[] config = internal.kind().topicConfig().split("=", 2);
                createUnlessExists(connection, internal.name(), count, Map.of(config[0], config[1]));
                existing.add(internal.name());
            }
        }
        int sinkPartitions = sourcePartitions.get(sources.get(0));
        List<String> outputs = new ArrayList<>(definition.sinkTopics());
        outputs.add(DeadLetters.topicFor(definition.name()));
        for (String sink : outputs) {
            if (!existing.contains(sink)) {
                createUnlessExists(connection, sink, sinkPartitions, Map.of());
                existing.add(sink);
            }
        }
        return Optional.of(Map.copyOf(sourcePartitions));
    }

    /**
     * Creates a topic that did not exist a moment ago; one created meanwhile (a Kafka client's metadata request
     * auto-creates topics, an operator may be quicker) is taken as it is.
     */
    private static void createUnlessExists(HearthConnection connection, String topic, int partitions,
                                           Map<String, String> configs) {
        try {
            connection.createTopic(topic, partitions, configs);
        } catch (HearthConnectionException e) {
            if (e.error() != HearthError.TOPIC_ALREADY_EXISTS) {
                throw e;
            }
        }
    }
}
