package dev.hearth.platform.metrics;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToLongFunction;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricID;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

import dev.hearth.connector.api.BrokerStats;
import dev.hearth.connector.api.GroupSummary;
import dev.hearth.platform.control.LogConnections;

/**
 * Publishes the broker's counters as application-scope gauges, read lazily when {@code /metrics} is scraped.
 * Every gauge reads one cached snapshot, refreshed from the adapter at most once per {@link #MAX_AGE_NANOS},
 * so a scrape costs one {@code brokerStats()} and one {@code listGroups()} call. Cumulative values are
 * gauges named {@code *_total}: MP Metrics 5 has no functional counter. Gauges for topics, partitions and
 * groups are registered when a refresh first sees them (so a new topic shows from the next scrape on) and
 * removed when one no longer does.
 *
 * <p>Thread-safety: a {@link ScrapeCache} reads the snapshots; the registered set changes only under this bean's
 * monitor; gauges read the cached snapshot without locking.
 */
@ApplicationScoped
public class BrokerMetrics {

    /** How long one snapshot serves scrapes: 1 s. */
    private static final long MAX_AGE_NANOS = 1_000_000_000L;

    static final Metadata PRODUCED_RECORDS = metadata("hearth_topic_produced_records_total",
            "Records appended to the topic by producers since the broker started");
    static final Metadata PRODUCED_BYTES = metadata("hearth_topic_produced_bytes_total",
            "Bytes of record batches appended to the topic by producers since the broker started");
    static final Metadata FETCHED_BYTES = metadata("hearth_topic_fetched_bytes_total",
            "Bytes of record batches read from the topic since the broker started");
    static final Metadata PARTITION_SIZE = metadata("hearth_partition_size_bytes",
            "Bytes of log on disk in the partition, indexes excluded");
    static final Metadata GROUP_LAG = metadata("hearth_consumer_group_lag",
            "Records between the group's committed offsets and the log end, summed over its partitions");
    static final Metadata FLUSHES = metadata("hearth_flushes_total", "fsyncs of log files since the broker started");
    static final Metadata FLUSH_TIME = metadata("hearth_flush_time_seconds_total",
            "Time spent in fsyncs of log files since the broker started");

    @Inject
    MetricRegistry registry;

    @Inject
    LogConnections connections;

    private final ScrapeCache<Snapshot> snapshots = new ScrapeCache<>(Snapshot.EMPTY, MAX_AGE_NANOS,
            () -> connections.apply(connection -> Snapshot.of(connection.brokerStats(), connection.listGroups())), this::register);
    /** Gauges registered for topics, partitions and groups; guarded by this. */
    private final Set<MetricID> dynamic = new HashSet<>();

    void onStart(@Observes @Initialized(ApplicationScoped.class) Object context) {
        registry.gauge(FLUSHES, () -> current().stats().flushCount());
        registry.gauge(FLUSH_TIME, () -> current().stats().flushTimeNanos() / 1e9);
        snapshots.refresh();
    }

    Snapshot current() {
        return snapshots.current();
    }

    /** Registers gauges for what {@code next} shows first and removes those for what it no longer shows. */
    private synchronized void register(Snapshot next) {
        Set<MetricID> seen = new HashSet<>();
        for (BrokerStats.TopicStats topic : next.stats().topics()) {
            String name = topic.topic();
            Tag tag = new Tag("topic", name);
            seen.add(topicGauge(PRODUCED_RECORDS, name, tag, BrokerStats.TopicStats::producedRecords));
            seen.add(topicGauge(PRODUCED_BYTES, name, tag, BrokerStats.TopicStats::producedBytes));
            seen.add(topicGauge(FETCHED_BYTES, name, tag, BrokerStats.TopicStats::fetchedBytes));
            for (BrokerStats.PartitionSize partition : topic.partitions()) {
                int id = partition.partition();
                Tag[] tags = {tag, new Tag("partition", Integer.toString(id))};
                MetricID metricId = new MetricID(PARTITION_SIZE.getName(), tags);
                if (!dynamic.contains(metricId)) {
                    registry.gauge(PARTITION_SIZE, () -> current().partitionSize(name, id), tags);
                }
                seen.add(metricId);
            }
        }
        for (String group : next.groupLag().keySet()) {
            Tag tag = new Tag("group", group);
            MetricID metricId = new MetricID(GROUP_LAG.getName(), tag);
            if (!dynamic.contains(metricId)) {
                registry.gauge(GROUP_LAG, () -> current().groupLag().getOrDefault(group, 0L), tag);
            }
            seen.add(metricId);
        }
        for (MetricID gone : dynamic) {
            if (!seen.contains(gone)) {
                registry.remove(gone);
            }
        }
        dynamic.clear();
        dynamic.addAll(seen);
    }

    private MetricID topicGauge(Metadata metadata, String topic, Tag tag, ToLongFunction<BrokerStats.TopicStats> value) {
        MetricID metricId = new MetricID(metadata.getName(), tag);
        if (!dynamic.contains(metricId)) {
            registry.gauge(metadata, () -> {
                BrokerStats.TopicStats stats = current().topics().get(topic);
                return stats == null ? 0L : value.applyAsLong(stats);
            }, tag);
        }
        return metricId;
    }

    private static Metadata metadata(String name, String description) {
        return Metadata.builder().withName(name).withDescription(description).build();
    }

    /**
     * What one refresh read.
     *
     * @param topics   {@code stats}' topics by name
     * @param groupLag total lag by group id
     */
    record Snapshot(BrokerStats stats, Map<String, BrokerStats.TopicStats> topics, Map<String, Long> groupLag) {

        static final Snapshot EMPTY = new Snapshot(new BrokerStats(List.of(), 0, 0), Map.of(), Map.of());

        static Snapshot of(BrokerStats stats, List<GroupSummary> groups) {
            Map<String, BrokerStats.TopicStats> topics = new HashMap<>();
            stats.topics().forEach(topic -> topics.put(topic.topic(), topic));
            Map<String, Long> lags = new HashMap<>();
            groups.forEach(group -> lags.put(group.groupId(), group.totalLag()));
            return new Snapshot(stats, topics, lags);
        }

        long partitionSize(String topic, int partition) {
            BrokerStats.TopicStats stats = topics.get(topic);
            if (stats != null) {
                for (BrokerStats.PartitionSize size : stats.partitions()) {
                    if (size.partition() == partition) {
                        return size.sizeInBytes();
                    }
                }
            }
            return 0;
        }
    }
}
