package dev.hearth.connector.inbound;

import java.util.List;
import java.util.regex.Pattern;

import org.apache.kafka.common.security.auth.KafkaPrincipal;

/**
 * Validated activation properties.
 *
 * @param topics          subscribed topic names (empty when {@code topicPattern} is used)
 * @param topicPattern    subscription by regex over existing topics, or null
 * @param startTimestamp  epoch millis for {@link StartFrom#TIMESTAMP}, else -1
 * @param deadLetterTopic where records go after {@code retries} failed attempts; null means {@code <topic>.DLT}
 * @param offsetsDataSource JNDI name of the data source whose database keeps the group's consumed offsets in each
 *                          delivery transaction ({@link OffsetTable}); null for the XA offset commit
 * @param principal       whom the bean consumes as: it needs Read on its group and on each topic, as a Kafka consumer
 */
record ActivationSettings(List<String> topics, Pattern topicPattern, String groupId, StartFrom startFrom,
                          long startTimestamp, int maxConcurrency, Ordering ordering, int maxPollRecords, int retries,
                          long retryBackoffMs, String deadLetterTopic, int sessionTimeoutMs,
                          String offsetsDataSource, KafkaPrincipal principal) {
}
