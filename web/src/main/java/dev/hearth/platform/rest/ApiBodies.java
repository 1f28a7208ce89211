package dev.hearth.platform.rest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;

/**
 * The JSON bodies of {@code /api}, by operation id: the schema of each request body, the success status and the
 * schema of its body, and the component schemas they name. Resources read and write {@code jakarta.json} values
 * (their parsing is what gives RFC 9457 answers to malformed bodies), so Payara can only derive
 * {@code {"type": "object"}} from their signatures; {@link ProblemResponses} puts these in the document instead.
 * The shapes are those the resources build; Confluent REST Proxy v3's names where it has the resource.
 * Immutable; thread-safe.
 */
final class ApiBodies {

    /**
     * What one operation reads and answers; {@code request} or {@code response} null for none, {@code status} the
     * success status ({@code "200"}, {@code "201"}, {@code "202"} or {@code "204"}).
     */
    record Bodies(String request, String status, String response) {
    }

    private static final Map<String, Bodies> BY_OPERATION = Map.ofEntries(
            Map.entry("listKafkaClusters", ok("KafkaClusterList")),
            Map.entry("getKafkaCluster", ok("KafkaCluster")),
            Map.entry("listKafkaBrokers", ok("KafkaBrokerList")),
            Map.entry("getKafkaBroker", ok("KafkaBroker")),
            Map.entry("listTopics", ok("KafkaTopicList")),
            Map.entry("createTopic", new Bodies("CreateTopicRequest", "201", "KafkaTopic")),
            Map.entry("getTopic", ok("KafkaTopic")),
            Map.entry("deleteTopic", noContent()),
            Map.entry("listTopicConfigs", ok("KafkaTopicConfigList")),
            Map.entry("getTopicConfig", ok("KafkaTopicConfig")),
            Map.entry("alterTopicConfigs", new Bodies("AlterConfigsRequest", "200", "KafkaTopic")),
            Map.entry("patchTopicConfigs", new Bodies("AlterConfigsRequest", "200", "KafkaTopic")),
            Map.entry("listTopicPartitions", ok("KafkaPartitionList")),
            Map.entry("getTopicPartition", ok("KafkaPartition")),
            Map.entry("createTopicPartitions", new Bodies("CreatePartitionsRequest", "200", "KafkaTopic")),
            // One record, one receipt: the array form produceRecords also takes is in its description only (see there).
            Map.entry("produceRecords", new Bodies("ProduceRecord", "200", "ProduceReceipt")),
            Map.entry("readPartitionRecords", ok("RecordList")),
            Map.entry("searchTopicRecords", ok("RecordSearchResult")),
            Map.entry("listConsumerGroups", ok("KafkaConsumerGroupList")),
            Map.entry("getConsumerGroup", ok("KafkaConsumerGroup")),
            Map.entry("resetConsumerGroupOffsets",
                    new Bodies("ResetOffsetsRequest", "200", "KafkaConsumerGroupOffsets")),
            Map.entry("deleteConsumerGroup", noContent()),
            Map.entry("createGroupMember", new Bodies("CreateGroupMemberRequest", "201", "GroupMember")),
            Map.entry("getGroupMember", ok("GroupMember")),
            Map.entry("pollGroupMemberRecords", ok("GroupMemberRecords")),
            Map.entry("commitGroupMemberOffsets", new Bodies("CommitOffsetsRequest", "200", "CommittedOffsets")),
            Map.entry("deleteGroupMember", noContent()),
            Map.entry("searchAcls", ok("KafkaAclList")),
            Map.entry("createAcl", new Bodies("CreateAclRequest", "201", "KafkaAcl")),
            Map.entry("deleteAcls", ok("KafkaAclList")),
            Map.entry("listUsers", ok("UserList")),
            Map.entry("setUserPassword", new Bodies("SetPasswordRequest", "200", "User")),
            Map.entry("deleteUser", noContent()),
            Map.entry("listJobs", ok("StreamJobList")),
            Map.entry("getJob", ok("StreamJob")),
            Map.entry("pauseJob", ok("StreamJob")),
            Map.entry("resumeJob", ok("StreamJob")),
            Map.entry("resetJob", new Bodies("ResetJobRequest", "200", "StreamJob")),
            Map.entry("runJobBounded", new Bodies("RunBoundedRequest", "202", "BoundedRun")),
            Map.entry("getJobBoundedRun", ok("BoundedRun")),
            Map.entry("listJobStores", ok("StreamJobStoreList")),
            Map.entry("scanJobStore", ok("StreamJobStoreEntries")),
            Map.entry("getJobStoreKey", ok("StreamJobStoreEntries")),
            Map.entry("listRecentActivity", ok("ActivityList")),
            Map.entry("listAuditEntries", ok("AuditEntryList")),
            // Kafka Connect's own REST shapes (its entities' JSON), under /api/connect.
            Map.entry("listConnectors", ok("ConnectorListing")),
            Map.entry("createConnector", new Bodies("CreateConnectorRequest", "201", "ConnectorInfo")),
            Map.entry("getConnector", ok("ConnectorInfo")),
            Map.entry("getConnectorConfig", ok("ConnectorConfig")),
            Map.entry("putConnectorConfig", new Bodies("ConnectorConfig", "200", "ConnectorInfo")),
            Map.entry("getConnectorStatus", ok("ConnectorStatus")),
            Map.entry("getConnectorTasks", ok("ConnectorTaskList")),
            Map.entry("getConnectorTaskStatus", ok("ConnectorTaskStatus")),
            // 202 with the status when includeTasks or onlyFailed is set, else 204 without a body.
            Map.entry("restartConnector", ok202("ConnectorStatus")),
            Map.entry("restartConnectorTask", noContent()),
            Map.entry("pauseConnector", new Bodies(null, "202", null)),
            Map.entry("resumeConnector", new Bodies(null, "202", null)),
            Map.entry("stopConnector", noContent()),
            Map.entry("deleteConnector", noContent()),
            Map.entry("getConnectorOffsets", ok("ConnectorOffsets")),
            Map.entry("listConnectorPlugins", ok("ConnectorPluginList")));

    private ApiBodies() {
    }

    /** The bodies of the operation, or null for one this table does not know (the document keeps Payara's). */
    static Bodies of(String operationId) {
        return operationId == null ? null : BY_OPERATION.get(operationId);
    }

    /** The component schemas {@link #of} names, by name. */
    static Map<String, Schema> schemas() {
        Map<String, Schema> all = new LinkedHashMap<>();
        all.put("Problem", object("An RFC 9457 problem; extension members carry recovery data (topic, partition, "
                        + "logStartOffset, …)",
                "type", string("Stable per kind of error, e.g. https://hearth.dev/problems/unknown-topic")
                        .format("uri"),
                "title", string("Constant per type"), "status", integer("The HTTP status"),
                "detail", string("What went wrong here"),
                "instance", string("urn:uuid id of this occurrence, also in the server log"))
                .required(List.of("type", "title", "status")).additionalPropertiesBoolean(true));
        all.put("ResourceMetadata", object("Confluent v3 metadata of one resource",
                "self", string("URL of this resource"),
                "resource_name", string("Its CRN, crn:///kafka=<cluster>/…")));
        all.put("ListMetadata", object("Confluent v3 metadata of a list", "self", string("URL of this list"),
                "next", string("URL of the next page; null: none").nullable(true)));
        all.put("Relationship", object("A link to related resources", "related", string("Their URL")));
        all.put("KafkaBroker", object("A broker; Hearth is one, node 0", "kind", string("KafkaBroker"),
                "metadata", ref("ResourceMetadata"), "cluster_id", string(null), "broker_id", integer(null),
                "host", string("Kafka listener host; null when the listener is off").nullable(true),
                "port", integer("Kafka listener port").nullable(true), "rack", string(null).nullable(true),
                "partition_replicas", ref("Relationship")));
        all.put("KafkaBrokerList", list("KafkaBrokerList", "KafkaBroker"));
        all.put("KafkaCluster", object("The cluster", "kind", string("KafkaCluster"), "metadata",
                ref("ResourceMetadata"), "cluster_id", string(null), "controller_id", integer(null),
                "broker", ref("KafkaBroker"), "state", string("The engine's state"), "state_detail", string(null),
                "offline_partitions_count", integer(null), "topics_count", integer(null),
                "partitions_count", integer(null), "brokers", ref("Relationship"), "topics", ref("Relationship"),
                "acls", ref("Relationship"), "consumer_groups", ref("Relationship")));
        all.put("KafkaClusterList", list("KafkaClusterList", "KafkaCluster"));
        all.put("ConfigEntry", object("A config and its value; a null value returns it to its default",
                "name", string("e.g. retention.ms"), "value", string(null).nullable(true)));
        all.put("TopicPartitionState", object("A partition's log", "partition_id", integer(null),
                "online", bool(null), "logStartOffset", int64(null), "logEndOffset", int64(null),
                "highWatermark", int64(null), "sizeInBytes", int64(null), "segmentCount", integer(null)));
        all.put("KafkaTopic", object("A topic", "kind", string("KafkaTopic"), "cluster_id", string(null),
                "topic_name", string(null), "topic_id", string("Kafka's topic id"), "partitions_count", integer(null),
                "sizeInBytes", int64("Bytes of all its partitions' logs"),
                "configs", map(string(null), "Configs set on the topic, by name"),
                "partitions", array(ref("TopicPartitionState"))));
        all.put("KafkaTopicList", object("Topics the caller may describe", "kind", string("KafkaTopicList"),
                "data", array(ref("KafkaTopic"))));
        all.put("CreateTopicRequest", object("A new topic", "topic_name", string(null),
                "partitions_count", integer("1 when absent"), "configs", array(ref("ConfigEntry")))
                .required(List.of("topic_name")));
        all.put("AlterConfigsRequest", object("Configs to change; those not named keep their values",
                "data", array(ref("ConfigEntry"))).required(List.of("data")));
        all.put("CreatePartitionsRequest", object("The new partition count, larger than the current one",
                "partitions_count", integer(null)).required(List.of("partitions_count")));
        all.put("KafkaTopicConfig", object("An effective config of a topic (whether it is an override is not told)",
                "kind", string("KafkaTopicConfig"), "metadata", ref("ResourceMetadata"), "cluster_id", string(null),
                "topic_name", string(null), "name", string(null), "value", string(null).nullable(true),
                "is_read_only", bool(null), "is_sensitive", bool(null), "synonyms", array(ref("ConfigEntry"))));
        all.put("KafkaTopicConfigList", list("KafkaTopicConfigList", "KafkaTopicConfig"));
        all.put("KafkaPartition", object("A partition of a topic; its leader and only replica is broker 0",
                "kind", string("KafkaPartition"), "metadata", ref("ResourceMetadata"), "cluster_id", string(null),
                "topic_name", string(null), "partition_id", integer(null), "leader", ref("Relationship"),
                "online", bool(null), "logStartOffset", int64(null), "logEndOffset", int64(null),
                "highWatermark", int64(null), "sizeInBytes", int64(null), "segmentCount", integer(null)));
        all.put("KafkaPartitionList", list("KafkaPartitionList", "KafkaPartition"));
        all.put("RecordData", object("A key or value: type BINARY (base64 data), STRING or JSON",
                "type", string(null), "data", OASFactory.createSchema()
                        .description("base64 for BINARY, a string for STRING, any JSON value for JSON")));
        all.put("RecordHeader", object("A header; value is base64, null for none", "name", string(null),
                "value", string(null).nullable(true)));
        all.put("ProduceRecord", object("A record to append; the partition by key when partition_id is absent",
                "partition_id", integer(null), "timestamp", int64("ms since the epoch"),
                "headers", array(ref("RecordHeader")), "key", ref("RecordData"), "value", ref("RecordData")));
        all.put("ProduceReceipt", object("Where a record was appended", "error_code", integer("200"),
                "cluster_id", string(null), "topic_name", string(null), "partition_id", integer(null),
                "offset", int64(null), "timestamp", int64(null)));
        all.put("Record", object("A record read", "topic_name", string(null), "partition_id", integer(null),
                "offset", int64(null), "timestamp", int64(null), "headers", array(ref("RecordHeader")),
                "key", ref("RecordData"), "value", ref("RecordData")));
        all.put("RecordList", object("Records of a partition from an offset", "topic_name", string(null),
                "partition_id", integer(null), "next_offset", int64("Where to read next"),
                "data", array(ref("Record"))));
        all.put("RecordSearchResult", object("Records that match a search", "topic_name", string(null),
                "scanned_records", int64(null), "complete", bool(null), "next_offsets", open("By partition"),
                "data", array(ref("Record"))));
        all.put("KafkaConsumerGroup", object("A consumer group", "kind", string("KafkaConsumerGroup"),
                "cluster_id", string(null), "consumer_group_id", string(null), "is_simple", bool(null),
                "state", string(null), "protocol_type", string(null), "partition_assignor", string(null),
                "members_count", integer(null), "members", array(open("A member and its assignments")),
                "offsets", array(ref("GroupPartitionOffset")), "total_lag", int64(null)));
        all.put("GroupPartitionOffset", object("A group's committed offset of a partition",
                "topic_name", string(null), "partition_id", integer(null), "committed_offset", int64(null),
                "log_end_offset", int64(null), "lag", int64(null)));
        all.put("KafkaConsumerGroupList", object("Groups the caller may describe",
                "kind", string("KafkaConsumerGroupList"), "data", array(ref("KafkaConsumerGroup"))));
        all.put("ResetOffsetsRequest", object("to: earliest, latest, timestamp or offsets",
                "to", string(null), "timestamp", int64("ms; with to=timestamp"), "topics", array(string(null)),
                "offsets", array(ref("GroupPartitionOffset")), "dry_run", bool(null)).required(List.of("to")));
        all.put("KafkaConsumerGroupOffsets", object("The offsets a reset set (or would set)",
                "kind", string("KafkaConsumerGroupOffsets"), "cluster_id", string(null),
                "consumer_group_id", string(null), "dry_run", bool(null), "data", array(open("A partition's offset"))));
        all.put("CreateGroupMemberRequest", object("An HTTP member joining a group",
                "topics", array(string(null)), "session_timeout_ms", int64(null), "client_id", string(null),
                "auto_offset_reset", string("earliest or latest")).required(List.of("topics")));
        all.put("GroupMember", open("An HTTP member: its subscription and current assignment"));
        all.put("GroupMemberRecords", open("Records polled by an HTTP member"));
        all.put("CommitOffsetsRequest", object("Offsets to commit; absent: those of the records polled",
                "offsets", array(object("A partition's offset to commit", "topic_name", string(null),
                        "partition_id", integer(null), "offset", int64(null)))));
        all.put("CommittedOffsets", open("The offsets committed"));
        all.put("KafkaAcl", object("An ACL", "kind", string("KafkaAcl"), "cluster_id", string(null),
                "resource_type", string(null), "resource_name", string(null), "pattern_type", string(null),
                "principal", string(null), "host", string(null), "operation", string(null),
                "permission", string(null)));
        all.put("KafkaAclList", list("KafkaAclList", "KafkaAcl"));
        all.put("CreateAclRequest", object("A new ACL; host *, pattern_type LITERAL, permission ALLOW by default",
                "principal", string("User:<name>"), "host", string(null), "resource_type", string(null),
                "pattern_type", string(null), "resource_name", string(null), "operation", string(null),
                "permission", string(null)).required(List.of("principal", "resource_type", "resource_name",
                "operation")));
        all.put("User", open("A SCRAM user: name, mechanisms and iterations"));
        all.put("UserList", object("Users", "kind", string(null), "data", array(ref("User"))));
        all.put("SetPasswordRequest", object("The new password", "password", string(null).format("password"))
                .required(List.of("password")));
        all.put("StreamJob", open("A stream job: state, lag, plan and per-task progress"));
        all.put("StreamJobList", object("Deployed stream jobs", "kind", string(null), "data", array(ref("StreamJob"))));
        all.put("ResetJobRequest", object("Where to reprocess from", "to", string("earliest or timestamp"),
                "timestamp", int64("ms; with to=timestamp")).required(List.of("to")));
        all.put("RunBoundedRequest", open("The time range of a bounded run and optional output renames"));
        all.put("BoundedRun", open("A bounded run's state and progress"));
        all.put("StreamJobStoreList", open("A job's queryable state stores"));
        all.put("StreamJobStoreEntries", open("Entries of a state store, with a cursor to the next page"));
        all.put("ActivityList", open("Recent activity of the cluster"));
        all.put("AuditEntryList", open("Audit entries, newest first"));
        all.put("ConnectorListing", open("Kafka Connect: the connectors' names (a JSON array), or with ?expand=status"
                + " and/or ?expand=info an object of {status, info} by connector name"));
        all.put("ConnectorConfig", map(string(null), "Kafka Connect: a connector's config, every value a string"));
        all.put("CreateConnectorRequest", object("Kafka Connect: a new connector", "name", string(null),
                "config", ref("ConnectorConfig"), "initial_state", string("RUNNING (default), PAUSED or STOPPED"))
                .required(List.of("name", "config")));
        all.put("ConnectorTaskId", object("Kafka Connect: a task of a connector", "connector", string(null),
                "task", integer(null)));
        all.put("ConnectorInfo", object("Kafka Connect: a connector", "name", string(null),
                "config", ref("ConnectorConfig"), "tasks", array(ref("ConnectorTaskId")),
                "type", string("source or sink")));
        all.put("ConnectorTaskStatus", object("Kafka Connect: a task's state", "id", integer(null),
                "state", string("UNASSIGNED, RUNNING, PAUSED, FAILED, RESTARTING or STOPPED"),
                "worker_id", string(null), "version", string(null), "trace", string("A failed task's stack trace")));
        all.put("ConnectorStatus", object("Kafka Connect: a connector's and its tasks' states", "name", string(null),
                "connector", object("The connector's state", "state", string(null), "worker_id", string(null),
                        "version", string(null), "trace", string(null)),
                "tasks", array(ref("ConnectorTaskStatus")), "type", string("source or sink")));
        all.put("ConnectorTaskList", array(object("Kafka Connect: a task and its config", "id", ref("ConnectorTaskId"),
                "config", ref("ConnectorConfig"))));
        all.put("ConnectorOffsets", object("Kafka Connect: a connector's committed offsets", "offsets",
                array(object("One source partition's (or sink topic partition's) offset",
                        "partition", open("The connector's partition"), "offset", open("Its offset")))));
        all.put("ConnectorPluginList", array(object("Kafka Connect: an installed connector plugin",
                "class", string(null), "type", string("source or sink"), "version", string(null))));
        return all;
    }

    private static Bodies ok(String response) {
        return new Bodies(null, "200", response);
    }

    private static Bodies ok202(String response) {
        return new Bodies(null, "202", response);
    }

    private static Bodies noContent() {
        return new Bodies(null, "204", null);
    }

    static Schema ref(String name) {
        return OASFactory.createSchema().ref(name);
    }

    /** An object of the given properties, as name, schema pairs. */
    private static Schema object(String description, Object... namesAndSchemas) {
        Schema schema = OASFactory.createSchema().type(SchemaType.OBJECT).description(description);
        for (int i = 0; i < namesAndSchemas.length; i += 2) {
            schema.addProperty((String) namesAndSchemas[i], (Schema) namesAndSchemas[i + 1]);
        }
        return schema;
    }

    /** An object whose members this table does not list (yet): documented, named, open to more members. */
    private static Schema open(String description) {
        return OASFactory.createSchema().type(SchemaType.OBJECT).description(description)
                .additionalPropertiesBoolean(true);
    }

    private static Schema list(String kind, String item) {
        return object("A list of " + item, "kind", string(kind), "metadata", ref("ListMetadata"),
                "data", array(ref(item)));
    }

    private static Schema array(Schema items) {
        return OASFactory.createSchema().type(SchemaType.ARRAY).items(items);
    }

    private static Schema map(Schema values, String description) {
        return OASFactory.createSchema().type(SchemaType.OBJECT).description(description)
                .additionalPropertiesSchema(values);
    }

    private static Schema string(String description) {
        return OASFactory.createSchema().type(SchemaType.STRING).description(description);
    }

    private static Schema integer(String description) {
        return OASFactory.createSchema().type(SchemaType.INTEGER).format("int32").description(description);
    }

    private static Schema int64(String description) {
        return OASFactory.createSchema().type(SchemaType.INTEGER).format("int64").description(description);
    }

    private static Schema bool(String description) {
        return OASFactory.createSchema().type(SchemaType.BOOLEAN).description(description);
    }
}
