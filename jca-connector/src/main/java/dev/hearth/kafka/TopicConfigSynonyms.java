package dev.hearth.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsSynonym;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;

import dev.hearth.engine.TopicConfig;

/**
 * The synonyms of a topic config in DescribeConfigs ({@code kafka-configs --describe} prints them), by a Kafka broker's
 * rule: the topic's override ({@code TOPIC_CONFIG}, the admin client's {@code DYNAMIC_TOPIC_CONFIG}); then, for the
 * broker configs that set the topic default (Kafka's {@code ServerTopicConfigSynonyms}: {@code log.retention.ms},
 * {@code log.retention.minutes}, {@code log.retention.hours} for {@code retention.ms}), the values set statically
 * ({@code STATIC_BROKER_CONFIG}: where Hearth's configuration differs from Kafka's default, as {@link BrokerConfigs}
 * reports it), then Kafka's defaults ({@code DEFAULT_CONFIG}); of these broker synonyms, those before the first one
 * named as the primary broker config are left out, as Kafka's {@code ConfigHelper} does. So {@code retention.ms}
 * lists no {@code log.retention.hours=168} (its primary {@code log.retention.ms} has no default) while
 * {@code cleanup.policy} lists {@code log.cleanup.policy=delete}: what a one-node Kafka prints.
 *
 * <p>Thread-safety: immutable.
 */
final class TopicConfigSynonyms {

    /** A broker config that sets a topic config's default; {@code kafkaDefault} is null when Kafka has none. */
    private record BrokerSynonym(String name, String kafkaDefault) {
    }

    private static final Map<String, List<BrokerSynonym>> SYNONYMS = Map.of(
            TopicConfig.RETENTION_MS, List.of(new BrokerSynonym("log.retention.ms", null),
                    new BrokerSynonym("log.retention.minutes", null), new BrokerSynonym("log.retention.hours", "168")),
            TopicConfig.SEGMENT_MS, List.of(new BrokerSynonym("log.roll.ms", null),
                    new BrokerSynonym("log.roll.hours", "168")),
            TopicConfig.RETENTION_BYTES, List.of(new BrokerSynonym("log.retention.bytes", "-1")),
            TopicConfig.SEGMENT_BYTES, List.of(new BrokerSynonym("log.segment.bytes", "1073741824")),
            TopicConfig.CLEANUP_POLICY, List.of(new BrokerSynonym("log.cleanup.policy", "delete")),
            TopicConfig.MAX_MESSAGE_BYTES, List.of(new BrokerSynonym("message.max.bytes", "1048588")),
            TopicConfig.MESSAGE_TIMESTAMP_TYPE, List.of(new BrokerSynonym("log.message.timestamp.type", "CreateTime")),
            TopicConfig.DELETE_RETENTION_MS, List.of(new BrokerSynonym("log.cleaner.delete.retention.ms", "86400000")),
            TopicConfig.MIN_CLEANABLE_DIRTY_RATIO, List.of(new BrokerSynonym("log.cleaner.min.cleanable.ratio", "0.5")));

    private final Map<String, BrokerConfigs.Entry> brokerEntries;

    /** @param brokerEntries the broker's entries by name ({@link BrokerConfigs#entries()}) */
    TopicConfigSynonyms(Map<String, BrokerConfigs.Entry> brokerEntries) {
        this.brokerEntries = brokerEntries;
    }

    /**
     * The synonyms of topic config {@code name} whose effective value is {@code value}, overridden on the topic or
     * not, most specific first; the first one's source is the config's source (none: DEFAULT_CONFIG).
     */
    List<DescribeConfigsSynonym> of(String name, String value, boolean overridden) {
        List<DescribeConfigsSynonym> synonyms = new ArrayList<>(3);
        if (overridden) {
            synonyms.add(synonym(name, value, ConfigSource.TOPIC_CONFIG));
        }
        List<BrokerSynonym> broker = SYNONYMS.getOrDefault(name, List.of());
        List<DescribeConfigsSynonym> brokerLevel = new ArrayList<>(broker.size());
        for (BrokerSynonym synonym : broker) {
            BrokerConfigs.Entry entry = brokerEntries.get(synonym.name());
            if (entry != null && entry.source() == ConfigSource.STATIC_BROKER_CONFIG) {
                brokerLevel.add(synonym(synonym.name(), entry.value(), ConfigSource.STATIC_BROKER_CONFIG));
            }
        }
        for (BrokerSynonym synonym : broker) {
            if (synonym.kafkaDefault() != null) {
                brokerLevel.add(synonym(synonym.name(), synonym.kafkaDefault(), ConfigSource.DEFAULT_CONFIG));
            }
        }
        boolean primarySeen = false;
        for (DescribeConfigsSynonym synonym : brokerLevel) {
            primarySeen |= synonym.name().equals(broker.get(0).name());
            if (primarySeen) {
                synonyms.add(synonym);
            }
        }
        return synonyms;
    }

    private static DescribeConfigsSynonym synonym(String name, String value, ConfigSource source) {
        return new DescribeConfigsSynonym().setName(name).setValue(value).setSource(source.id());
    }
}
