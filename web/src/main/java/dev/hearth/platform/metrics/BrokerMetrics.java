package dev.hearth.platform.metrics;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.hearth.connector.api.BrokerStats;
import dev.hearth.connector.api.GroupDetails;
import dev.hearth.connector.api.GroupSummary;
import dev.hearth.connector.api.HearthConnection;
import dev.hearth.connector.api.HearthConnectionException;
import dev.hearth.connector.api.HearthError;
import dev.hearth.connector.api.PartitionDescription;
import dev.hearth.connector.api.TopicDescription;
import dev.hearth.platform.control.LogConnections;

/**
 * The broker's state per topic, partition and consumer group, as kafka_exporter shows a Kafka cluster's
 * (README, "Metrics", has the mapping): traffic counters per topic; per partition its log start and end offsets,
 * high watermark, size, segments and whether it is online; the number of offline partitions; per group and
 * partition the committed offset and the lag, and per group the summed lag and members; fsync counters. Read from
 * the adapter at most once per {@link #MAX_AGE_NANOS} (a read is {@code brokerStats}, {@code listTopics},
 * {@code status}, {@code listGroups} and one {@code describeGroup} per group), and written from that snapshot at
 * every scrape, so every family is in the first scrape.
 *
 * <p>Thread-safety: a {@link ScrapeCache} serializes reads of the adapter; writing reads an immutable snapshot.
 */
@ApplicationScoped
public class BrokerMetrics implements MetricsSource {

    /** How long one snapshot serves scrapes: 1 s. */
    private static final long MAX_AGE_NANOS = 1_000_000_000L;

    @Inject
    LogConnections connections;

    private final ScrapeCache<Snapshot> snapshots = new ScrapeCache<>(Snapshot.EMPTY, MAX_AGE_NANOS,
            () -> connections.apply(Snapshot::read));

    Snapshot current() {
        return snapshots.current();
    }

    @Override
    public void writeTo(PrometheusText text) {
        Snapshot snapshot = current();
        List<BrokerStats.TopicStats> topics = snapshot.stats().topics();
        text.family("hearth_topic_produced_records_total", PrometheusText.Type.COUNTER,
                "Records appended to the topic by producers since the broker started");
        topics.forEach(t -> text.sample("hearth_topic_produced_records_total", t.producedRecords(), "topic", t.topic()));
        text.family("hearth_topic_produced_bytes_total", PrometheusText.Type.COUNTER,
                "Bytes of record batches appended to the topic by producers since the broker started");
        topics.forEach(t -> text.sample("hearth_topic_produced_bytes_total", t.producedBytes(), "topic", t.topic()));
        text.family("hearth_topic_fetched_bytes_total", PrometheusText.Type.COUNTER,
                "Bytes of record batches read from the topic since the broker started");
        topics.forEach(t -> text.sample("hearth_topic_fetched_bytes_total", t.fetchedBytes(), "topic", t.topic()));

        List<TopicDescription> described = snapshot.topics();
        text.family("hearth_topic_partitions", PrometheusText.Type.GAUGE, "Partitions of the topic");
        described.forEach(t -> text.sample("hearth_topic_partitions", t.partitions().size(), "topic", t.name()));
        partitionFamily(text, described, "hearth_partition_log_start_offset",
                "The partition's log start offset: its oldest offset still stored", PartitionValue.LOG_START);
        partitionFamily(text, described, "hearth_partition_log_end_offset",
                "The partition's log end offset: the offset its next record will get", PartitionValue.LOG_END);
        partitionFamily(text, described, "hearth_partition_high_watermark",
                "The partition's high watermark: consumers read up to here", PartitionValue.HIGH_WATERMARK);
        partitionFamily(text, described, "hearth_partition_size_bytes",
                "Bytes of log on disk in the partition, indexes excluded; 0 while it is offline", PartitionValue.SIZE);
        partitionFamily(text, described, "hearth_partition_segments", "Log segments of the partition",
                PartitionValue.SEGMENTS);
        partitionFamily(text, described, "hearth_partition_online",
                "1 while the partition serves reads and writes, 0 after a storage failure took it offline",
                PartitionValue.ONLINE);
        text.family("hearth_offline_partitions", PrometheusText.Type.GAUGE,
                        "Partitions taken offline by storage failures (Kafka's OfflinePartitionsCount)")
                .sample("hearth_offline_partitions", snapshot.offlinePartitions());

        text.family("hearth_consumer_group_committed_offset", PrometheusText.Type.GAUGE,
                "The group's committed offset in the partition: the next offset it will consume");
        for (GroupDetails group : snapshot.groups()) {
            for (GroupDetails.PartitionLag offset : group.offsets()) {
                text.sample("hearth_consumer_group_committed_offset", offset.committedOffset(), "group", group.groupId(),
                        "topic", offset.topic(), "partition", Integer.toString(offset.partition()));
            }
        }
        text.family("hearth_consumer_group_lag", PrometheusText.Type.GAUGE,
                "Records between the group's committed offset and the partition's log end offset");
        for (GroupDetails group : snapshot.groups()) {
            for (GroupDetails.PartitionLag offset : group.offsets()) {
                text.sample("hearth_consumer_group_lag", offset.lag(), "group", group.groupId(),
                        "topic", offset.topic(), "partition", Integer.toString(offset.partition()));
            }
        }
        text.family("hearth_consumer_group_total_lag", PrometheusText.Type.GAUGE,
                "Records between the group's committed offsets and the log ends, summed over its partitions");
        snapshot.groups().forEach(g -> text.sample("hearth_consumer_group_total_lag", g.totalLag(), "group", g.groupId()));
        text.family("hearth_consumer_group_members", PrometheusText.Type.GAUGE, "Members of the group now");
        snapshot.groups().forEach(g -> text.sample("hearth_consumer_group_members", g.members().size(),
                "group", g.groupId()));

        text.family("hearth_flushes_total", PrometheusText.Type.COUNTER,
                        "fsyncs of log files since the broker started")
                .sample("hearth_flushes_total", snapshot.stats().flushCount());
        text.family("hearth_flush_time_seconds_total", PrometheusText.Type.COUNTER,
                        "Time spent in fsyncs of log files since the broker started")
                .sample("hearth_flush_time_seconds_total", snapshot.stats().flushTimeNanos() / 1e9);
    }

    /** What a per-partition family shows of a partition. */
    private enum PartitionValue {
        LOG_START, LOG_END, HIGH_WATERMARK, SIZE, SEGMENTS, ONLINE;

        double of(PartitionDescription partition) {
            return switch (this) {
                case LOG_START -> partition.logStartOffset();
                case LOG_END -> partition.logEndOffset();
                case HIGH_WATERMARK -> partition.highWatermark();
                case SIZE -> partition.sizeInBytes();
                case SEGMENTS -> partition.segmentCount();
                case ONLINE -> partition.online() ? 1 : 0;
            };
        }
    }

    private static void partitionFamily(PrometheusText text, List<TopicDescription> topics, String name, String help,
                                        PartitionValue value) {
        text.family(name, PrometheusText.Type.GAUGE, help);
        for (TopicDescription topic : topics) {
            for (PartitionDescription partition : topic.partitions()) {
                text.sample(name, value.of(partition), "topic", topic.name(),
                        "partition", Integer.toString(partition.partition()));
            }
        }
    }

    /**
     * What one refresh read.
     *
     * @param topics            every topic with its partitions' offsets
     * @param groups            every group with its committed offsets, ordered by group id
     * @param offlinePartitions partitions taken offline by storage failures
     */
    record Snapshot(BrokerStats stats, List<TopicDescription> topics, List<GroupDetails> groups, int offlinePartitions) {

        static final Snapshot EMPTY = new Snapshot(new BrokerStats(List.of(), 0, 0), List.of(), List.of(), 0);

        static Snapshot read(HearthConnection connection) {
            List<GroupDetails> groups = new ArrayList<>();
            for (GroupSummary summary : connection.listGroups()) {
                try {
                    groups.add(connection.describeGroup(summary.groupId()));
                } catch (HearthConnectionException e) {
                    if (e.error() != HearthError.GROUP_NOT_FOUND) {
                        throw e;
                    }
                    // deleted between the listing and now: it is gone from this snapshot
                }
            }
            groups.sort(java.util.Comparator.comparing(GroupDetails::groupId));
            return new Snapshot(connection.brokerStats(), connection.listTopics(), groups,
                    connection.status().offlinePartitions());
        }
    }
}
