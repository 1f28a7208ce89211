package dev.hearth.job.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Assignment;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.GroupAssignment;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.GroupSubscription;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class QueryEndpointAssignorTest {

    private static final String A = "http://node-a:8080/api/";
    private static final String B = "http://node-b:8080/api/";

    @Test
    void everyMemberLearnsTheOwnerUrlOfEveryPartitionAndRangeKeepsCoPartitionedTopicsTogether() {
        Node node = new Node(0, "localhost", 9092);
        List<PartitionInfo> partitions = new ArrayList<>();
        for (String topic : List.of("clicks", "job-1-repartition")) {
            for (int p = 0; p < 4; p++) {
                partitions.add(new PartitionInfo(topic, p, node, new Node[] {node}, new Node[] {node}));
            }
        }
        Cluster cluster = new Cluster("c", List.of(node), partitions, Set.of(), Set.of());
        List<String> topics = List.of("clicks", "job-1-repartition");
        Map<String, Subscription> members = new HashMap<>();
        members.put("member-a", new Subscription(topics, assignor(A, map -> { }).subscriptionUserData(Set.copyOf(topics))));
        members.put("member-b", new Subscription(topics, assignor(B, map -> { }).subscriptionUserData(Set.copyOf(topics))));
        members.put("member-old", new Subscription(topics, null)); // advertises no URL

        GroupAssignment assigned = assignor(A, map -> { }).assign(cluster, new GroupSubscription(members));

        Map<TopicPartition, String> expected = new HashMap<>();
        Map<String, String> urlOf = Map.of("member-a", A, "member-b", B, "member-old", "");
        Set<TopicPartition> all = new HashSet<>();
        assigned.groupAssignment().forEach((member, assignment) -> {
            for (TopicPartition partition : assignment.partitions()) {
                expected.put(partition, urlOf.get(member));
                all.add(partition);
                assertTrue(assignment.partitions().contains(new TopicPartition(
                        partition.topic().equals("clicks") ? "job-1-repartition" : "clicks", partition.partition())),
                        "partition " + partition.partition() + " of both topics goes to the same member: " + assigned);
            }
        });
        assertEquals(8, all.size(), "every partition is assigned once: " + assigned);
        for (String member : members.keySet()) {
            AtomicReference<Map<TopicPartition, String>> told = new AtomicReference<>();
            assignor(member, told::set).onAssignment(assigned.groupAssignment().get(member),
                    new ConsumerGroupMetadata("g"));
            assertEquals(expected, told.get(), member + " is told the owner of every partition, its own included");
        }
    }

    @Test
    void theOwnershipMapSurvivesEncoding() {
        Map<String, List<TopicPartition>> byUrl = new HashMap<>();
        byUrl.put(A, List.of(new TopicPartition("t", 0), new TopicPartition("tö", 2)));
        byUrl.put("", List.of(new TopicPartition("t", 1)));
        Map<TopicPartition, String> decoded = QueryEndpointAssignor.decode(
                ByteBuffer.wrap(QueryEndpointAssignor.encode(byUrl)));
        assertEquals(Map.of(new TopicPartition("t", 0), A, new TopicPartition("tö", 2), A,
                new TopicPartition("t", 1), ""), decoded, "partition to URL, an empty URL kept as such");
    }

    @Test
    void aMemberWithoutAnEndpointSubscribesWithEmptyUserDataAndIgnoresAssignmentsWithoutOwners() {
        QueryEndpointAssignor assignor = new QueryEndpointAssignor();
        assignor.configure(Map.of());
        assertEquals(0, assignor.subscriptionUserData(Set.of("t")).remaining(), "no URL: empty user data");
        AtomicReference<Map<TopicPartition, String>> told = new AtomicReference<>();
        QueryEndpointAssignor listening = assignor(A, told::set);
        listening.onAssignment(new Assignment(List.of(new TopicPartition("t", 0))), new ConsumerGroupMetadata("g"));
        assertEquals(null, told.get(), "an assignment made by plain range carries no owners: nothing to tell");
        assertEquals(A, StandardCharsets.UTF_8.decode(listening.subscriptionUserData(Set.of("t"))).toString());
    }

    private static QueryEndpointAssignor assignor(String url, Consumer<Map<TopicPartition, String>> ownership) {
        QueryEndpointAssignor assignor = new QueryEndpointAssignor();
        Map<String, Object> config = new HashMap<>();
        config.put(QueryEndpointAssignor.ENDPOINT_CONFIG, url.startsWith("member") ? "" : url);
        config.put(QueryEndpointAssignor.OWNERSHIP_CONFIG, ownership);
        assignor.configure(config);
        return assignor;
    }
}
