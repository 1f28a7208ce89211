package dev.hearth.job.control;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Configurable;
import org.apache.kafka.common.TopicPartition;

/**
 * The job workers' partition assignor: Kafka's range assignment (partition {@code p} of every co-partitioned
 * input goes to the same member), plus where each partition's state can be queried. It is how an instance that
 * gets an interactive query for a partition it does not hold finds the instance that does, the way Kafka
 * Streams does it with {@code application.server}:
 * <ol>
 * <li>each member advertises its app-server instance's REST base URL ({@value #ENDPOINT_CONFIG}, may be empty)
 * in its subscription's user data;</li>
 * <li>the group leader assigns by range and appends to every member's assignment the whole map of partition to
 * URL, so that after each rebalance every member knows every partition's owner, with no extra topic, request or
 * shared store; the map is as fresh as the group generation;</li>
 * <li>each member hands the map to {@value #OWNERSHIP_CONFIG}, a {@code Consumer<Map<TopicPartition, String>>}
 * passed in the consumer's configuration.</li>
 * </ol>
 * Members list {@link RangeAssignor} as their second choice, so a group with members of a Hearth version without
 * this assignor agrees on plain "range" (and queries of partitions those hold answer 503 until they are gone).
 *
 * <h2>User-data format (big-endian)</h2>
 * Subscription: the URL in UTF-8, to the end (empty: none). Assignment:
 * <pre>
 *   int32 urls; per URL: int16 length, UTF-8 bytes, int32 partitions; per partition: int16 topic length,
 *                        UTF-8 topic, int32 partition
 * </pre>
 * An empty URL stands for members that advertise none.
 *
 * <p>Thread-safety: Kafka calls it on the consumer's (the worker's) thread only.
 */
public final class QueryEndpointAssignor implements ConsumerPartitionAssignor, Configurable {

    /** Consumer-config key of the REST base URL this member advertises (a String; absent or empty: none). */
    public static final String ENDPOINT_CONFIG = "hearth.job.query.endpoint";
    /** Consumer-config key of the {@code Consumer<Map<TopicPartition, String>>} told each new ownership map. */
    public static final String OWNERSHIP_CONFIG = "hearth.job.query.ownership";
    static final String NAME = "hearth-range-with-endpoints";

    private final RangeAssignor range = new RangeAssignor();
    private byte[] endpoint = new byte[0];
    private Consumer<Map<TopicPartition, String>> ownership = map -> { };

    @Override
    @SuppressWarnings("unchecked")
    public void configure(Map<String, ?> configs) {
        Object configured = configs.get(ENDPOINT_CONFIG);
        endpoint = configured == null ? new byte[0] : configured.toString().getBytes(StandardCharsets.UTF_8);
        Object listener = configs.get(OWNERSHIP_CONFIG);
        if (listener instanceof Consumer<?> consumer) {
            ownership = (Consumer<Map<TopicPartition, String>>) consumer;
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ByteBuffer subscriptionUserData(java.util.Set<String> topics) {
        return ByteBuffer.wrap(endpoint);
    }

    @Override
    public GroupAssignment assign(Cluster metadata, GroupSubscription groupSubscription) {
        GroupAssignment assigned = range.assign(metadata, groupSubscription);
        Map<String, List<TopicPartition>> byEndpoint = new LinkedHashMap<>();
        assigned.groupAssignment().forEach((member, assignment) -> {
            Subscription subscription = groupSubscription.groupSubscription().get(member);
            String url = subscription == null ? "" : endpointOf(subscription.userData());
            byEndpoint.computeIfAbsent(url, u -> new ArrayList<>()).addAll(assignment.partitions());
        });
        byte[] owners = encode(byEndpoint);
        Map<String, Assignment> withOwners = new HashMap<>();
        assigned.groupAssignment().forEach((member, assignment) ->
                withOwners.put(member, new Assignment(assignment.partitions(), ByteBuffer.wrap(owners))));
        return new GroupAssignment(withOwners);
    }

    @Override
    public void onAssignment(Assignment assignment, ConsumerGroupMetadata metadata) {
        ByteBuffer userData = assignment.userData();
        if (userData != null && userData.hasRemaining()) {
            ownership.accept(decode(userData.duplicate()));
        }
    }

    private static String endpointOf(ByteBuffer userData) {
        if (userData == null || !userData.hasRemaining()) {
            return "";
        }
        ByteBuffer copy = userData.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** The assignment user data: every partition's owner URL (see the class comment). */
    static byte[] encode(Map<String, List<TopicPartition>> partitionsByEndpoint) {
        int size = 4;
        for (Map.Entry<String, List<TopicPartition>> entry : partitionsByEndpoint.entrySet()) {
            size += 2 + entry.getKey().getBytes(StandardCharsets.UTF_8).length + 4;
            for (TopicPartition partition : entry.getValue()) {
                size += 2 + partition.topic().getBytes(StandardCharsets.UTF_8).length + 4;
            }
        }
        ByteBuffer buffer = ByteBuffer.allocate(size).putInt(partitionsByEndpoint.size());
        partitionsByEndpoint.forEach((url, partitions) -> {
            putString(buffer, url);
            buffer.putInt(partitions.size());
            for (TopicPartition partition : partitions) {
                putString(buffer, partition.topic());
                buffer.putInt(partition.partition());
            }
        });
        return buffer.array();
    }

    /** Partition to owner URL ("" for an owner that advertises none). */
    static Map<TopicPartition, String> decode(ByteBuffer buffer) {
        Map<TopicPartition, String> owners = new HashMap<>();
        int urls = buffer.getInt();
        for (int i = 0; i < urls; i++) {
            String url = getString(buffer);
            int partitions = buffer.getInt();
            for (int j = 0; j < partitions; j++) {
                String topic = getString(buffer);
                owners.put(new TopicPartition(topic, buffer.getInt()), url);
            }
        }
        return Map.copyOf(owners);
    }

    private static void putString(ByteBuffer buffer, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        buffer.putShort((short) bytes.length).put(bytes);
    }

    private static String getString(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.getShort() & 0xFFFF];
        buffer.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
