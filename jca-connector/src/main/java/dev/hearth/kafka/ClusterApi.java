package dev.hearth.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntSupplier;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponsePartition;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.DescribeClusterRequest;
import org.apache.kafka.common.requests.DescribeClusterResponse;
import org.apache.kafka.common.requests.FindCoordinatorRequest;
import org.apache.kafka.common.requests.FindCoordinatorResponse;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;

import dev.hearth.engine.log.LogEngine;
import dev.hearth.engine.PartitionInfo;
import dev.hearth.engine.PartitionState;
import dev.hearth.engine.TopicInfo;

/**
 * ApiVersions, Metadata, DescribeCluster and FindCoordinator: Hearth presents itself as a one-broker
 * cluster (node {@value KafkaListenerConfig#NODE_ID}) that leads every partition and coordinates every
 * group. Thread-safe.
 */
final class ClusterApi {

    /** The operations Kafka defines on the cluster resource, for a cluster's authorized operations. */
    private static final List<AclOperation> CLUSTER_OPERATIONS = List.of(AclOperation.CREATE,
            AclOperation.CLUSTER_ACTION, AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS,
            AclOperation.IDEMPOTENT_WRITE, AclOperation.ALTER, AclOperation.DESCRIBE);

    private static final String METADATA_VERSION = "metadata.version";
    /** Kafka's {@code MetadataVersion} 4.3-IV0, the newest production level of the Kafka 4.3 CLI tools shipped. */
    private static final short METADATA_VERSION_LEVEL = 30;
    /** 3.3-IV3, the oldest metadata version Kafka 4.x supports. */
    private static final short MINIMUM_METADATA_VERSION_LEVEL = 7;
    /** The features never change while Hearth runs: one finalization, epoch 1 (-1 would mean "none"). */
    private static final long FINALIZED_FEATURES_EPOCH = 1;

    private final KafkaListenerConfig config;
    private final LogEngine engine;
    private final TopicResolver topics;
    private final IntSupplier port;

    ClusterApi(KafkaListenerConfig config, LogEngine engine, TopicResolver topics, IntSupplier port) {
        this.config = config;
        this.engine = engine;
        this.topics = topics;
        this.port = port;
    }

    AbstractResponse apiVersions(AbstractRequest request) {
        ApiVersionsRequest apiVersions = (ApiVersionsRequest) request;
        ApiVersionsResponseData data = new ApiVersionsResponseData();
        if (apiVersions.hasUnsupportedRequestVersion()) {
            data.setErrorCode(Errors.UNSUPPORTED_VERSION.code());
        } else if (!apiVersions.isValid()) {
            data.setErrorCode(Errors.INVALID_REQUEST.code());
        }
        ApiVersionsResponseData.ApiVersionCollection versions = new ApiVersionsResponseData.ApiVersionCollection();
        for (ApiKeys api : KafkaApis.SUPPORTED) {
            versions.add(ApiVersionsResponse.toApiVersion(api));
        }
        data.setApiKeys(versions);
        if (request.version() >= 3) {
            addFeatures(data);
        }
        return new ApiVersionsResponse(data);
    }

    /**
     * Feature flags (KIP-584) as a one-node Kafka 4.3 in KRaft mode reports them, for {@code kafka-features
     * describe} and {@code Admin.describeFeatures}: {@code metadata.version} is supported from 3.3-IV3 (level 7)
     * to 4.3-IV0 and finalized at 4.3-IV0. Every other Kafka 4.x feature is supported at level 0 only, and so,
     * as Kafka does for level 0, not finalized: Hearth implements transactions v0 (clients keep sending
     * AddPartitionsToTxn), the classic group protocol only, no share or streams groups and static KRaft.
     */
    private static void addFeatures(ApiVersionsResponseData data) {
        ApiVersionsResponseData.SupportedFeatureKeyCollection supported =
                new ApiVersionsResponseData.SupportedFeatureKeyCollection();
        supported.add(new ApiVersionsResponseData.SupportedFeatureKey().setName(METADATA_VERSION)
                .setMinVersion(MINIMUM_METADATA_VERSION_LEVEL).setMaxVersion(METADATA_VERSION_LEVEL));
        for (String levelZeroOnly : List.of("kraft.version", "transaction.version", "group.version",
                "eligible.leader.replicas.version", "share.version", "streams.version")) {
            supported.add(new ApiVersionsResponseData.SupportedFeatureKey().setName(levelZeroOnly)
                    .setMinVersion((short) 0).setMaxVersion((short) 0));
        }
        ApiVersionsResponseData.FinalizedFeatureKeyCollection finalized =
                new ApiVersionsResponseData.FinalizedFeatureKeyCollection();
        finalized.add(new ApiVersionsResponseData.FinalizedFeatureKey().setName(METADATA_VERSION)
                .setMinVersionLevel(METADATA_VERSION_LEVEL).setMaxVersionLevel(METADATA_VERSION_LEVEL));
        data.setSupportedFeatures(supported).setFinalizedFeatures(finalized)
                .setFinalizedFeaturesEpoch(FINALIZED_FEATURES_EPOCH);
    }

    /**
     * Metadata as Kafka's broker authorizes it: all-topics requests list only topics the caller may DESCRIBE; a
     * requested topic it may not describe is answered TOPIC_AUTHORIZATION_FAILED (by id: without its name);
     * auto-creating an unknown topic needs CREATE on the cluster or the topic, else
     * TOPIC_AUTHORIZATION_FAILED.
     */
    AbstractResponse metadata(RequestAuthorizer.Caller caller, AbstractRequest request) {
        MetadataRequest metadata = (MetadataRequest) request;
        MetadataResponseData data = new MetadataResponseData()
                .setClusterId(config.clusterId())
                .setControllerId(KafkaListenerConfig.NODE_ID);
        data.brokers().add(new MetadataResponseData.MetadataResponseBroker()
                .setNodeId(KafkaListenerConfig.NODE_ID).setHost(config.advertisedHost()).setPort(port.getAsInt()));
        if (metadata.isAllTopics()) {
            for (TopicInfo topic : engine.listTopics()) {
                if (caller.mayOnTopic(AclOperation.DESCRIBE, topic.name())) {
                    data.topics().add(describe(topic));
                }
            }
        } else {
            for (MetadataRequestData.MetadataRequestTopic requested : metadata.data().topics()) {
                data.topics().add(describeRequested(caller, requested, metadata.allowAutoTopicCreation(),
                        request.version()));
            }
        }
        return new MetadataResponse(data, request.version());
    }

    private MetadataResponseTopic describeRequested(RequestAuthorizer.Caller caller,
                                                    MetadataRequestData.MetadataRequestTopic requested,
                                                    boolean autoCreate, short version) {
        Optional<String> name = topics.resolve(requested.name(), requested.topicId());
        boolean byId = requested.name() == null || requested.name().isEmpty();
        if (name.isPresent() && byId && !caller.mayOnTopic(AclOperation.DESCRIBE, name.get())) {
            // As Kafka: an id is not secret, the name behind it is.
            return new MetadataResponseTopic().setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())
                    .setTopicId(requested.topicId()).setName(version >= 12 ? null : "").setIsInternal(false);
        }
        if (name.isEmpty()) {
            // The name is nullable from version 12 on; before, an empty name stands for "none".
            return new MetadataResponseTopic().setErrorCode(Errors.UNKNOWN_TOPIC_ID.code())
                    .setTopicId(requested.topicId()).setName(version >= 12 ? null : "");
        }
        String topic = name.get();
        if (!caller.mayOnTopic(AclOperation.DESCRIBE, topic)) {
            // Whether it exists is not even looked up.
            return unauthorized(topic, false);
        }
        try {
            boolean exists = engine.topicExists(topic);
            if (!exists && autoCreate && topics.autoCreationEnabled() && !caller.mayCreateTopic(topic)) {
                return unauthorized(topic, TopicResolver.isInternal(topic));
            }
            if (!(exists || autoCreate && topics.maybeAutoCreate(topic))) {
                return new MetadataResponseTopic().setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code()).setName(topic);
            }
            return describe(engine.describeTopic(topic));
        } catch (RuntimeException e) {
            return new MetadataResponseTopic().setErrorCode(KafkaErrors.of(e).code()).setName(topic);
        }
    }

    private static MetadataResponseTopic unauthorized(String topic, boolean internal) {
        return new MetadataResponseTopic().setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code()).setName(topic)
                .setTopicId(Uuid.ZERO_UUID).setIsInternal(internal);
    }

    private static MetadataResponseTopic describe(TopicInfo topic) {
        List<MetadataResponsePartition> partitions = new ArrayList<>();
        for (PartitionInfo partition : topic.partitions()) {
            boolean online = partition.state() == PartitionState.ONLINE;
            List<Integer> replicas = List.of(KafkaListenerConfig.NODE_ID);
            partitions.add(new MetadataResponsePartition()
                    .setPartitionIndex(partition.partition())
                    .setErrorCode(online ? Errors.NONE.code() : Errors.KAFKA_STORAGE_ERROR.code())
                    .setLeaderId(online ? KafkaListenerConfig.NODE_ID : -1)
                    .setLeaderEpoch(0)
                    .setReplicaNodes(replicas)
                    .setIsrNodes(online ? replicas : List.of())
                    .setOfflineReplicas(online ? List.of() : replicas));
        }
        return new MetadataResponseTopic()
                .setName(topic.name())
                .setTopicId(Uuid.fromString(topic.topicId()))
                .setIsInternal(TopicResolver.isInternal(topic.name()))
                .setPartitions(partitions);
    }

    /**
     * DescribeCluster is answered to every caller, as Kafka does; DESCRIBE on the cluster decides only whether
     * the cluster's authorized operations, when asked for, are reported (else none are).
     */
    AbstractResponse describeCluster(RequestAuthorizer.Caller caller, AbstractRequest request) {
        DescribeClusterResponseData data = new DescribeClusterResponseData()
                .setClusterId(config.clusterId())
                .setControllerId(KafkaListenerConfig.NODE_ID);
        data.brokers().add(new DescribeClusterResponseData.DescribeClusterBroker()
                .setBrokerId(KafkaListenerConfig.NODE_ID).setHost(config.advertisedHost()).setPort(port.getAsInt()));
        if (((DescribeClusterRequest) request).data().includeClusterAuthorizedOperations()) {
            int operations = 0;
            if (caller.mayOnCluster(AclOperation.DESCRIBE)) {
                for (AclOperation operation : CLUSTER_OPERATIONS) {
                    if (caller.mayOnCluster(operation)) {
                        operations |= 1 << operation.code();
                    }
                }
            }
            data.setClusterAuthorizedOperations(operations);
        }
        return new DescribeClusterResponse(data);
    }

    /**
     * FindCoordinator needs DESCRIBE on the group (GROUP_AUTHORIZATION_FAILED) or on the transactional id
     * (TRANSACTIONAL_ID_AUTHORIZATION_FAILED), per key from version 4 on.
     */
    AbstractResponse findCoordinator(RequestAuthorizer.Caller caller, AbstractRequest request) {
        FindCoordinatorRequestData requested = ((FindCoordinatorRequest) request).data();
        FindCoordinatorResponseData data = new FindCoordinatorResponseData();
        boolean transaction = requested.keyType() == FindCoordinatorRequest.CoordinatorType.TRANSACTION.id();
        if (request.version() >= 4) {
            for (String key : requested.coordinatorKeys()) {
                Errors denied = coordinatorDenied(caller, transaction, key);
                FindCoordinatorResponseData.Coordinator coordinator = new FindCoordinatorResponseData.Coordinator()
                        .setKey(key);
                if (denied != Errors.NONE) {
                    coordinator.setNodeId(-1).setHost("").setPort(-1).setErrorCode(denied.code())
                            .setErrorMessage(denied.message());
                } else {
                    coordinator.setNodeId(KafkaListenerConfig.NODE_ID).setHost(config.advertisedHost())
                            .setPort(port.getAsInt());
                }
                data.coordinators().add(coordinator);
            }
        } else {
            if (requested.key() == null) {
                throw new InvalidRequestException("FindCoordinator without a key");
            }
            Errors denied = coordinatorDenied(caller, transaction, requested.key());
            if (denied != Errors.NONE) {
                data.setNodeId(-1).setHost("").setPort(-1).setErrorCode(denied.code());
                if (request.version() >= 1) {
                    data.setErrorMessage(denied.message());
                }
            } else {
                data.setNodeId(KafkaListenerConfig.NODE_ID).setHost(config.advertisedHost()).setPort(port.getAsInt());
            }
        }
        return new FindCoordinatorResponse(data);
    }

    private static Errors coordinatorDenied(RequestAuthorizer.Caller caller, boolean transaction, String key) {
        if (transaction) {
            return caller.mayOnTransactionalId(AclOperation.DESCRIBE, key) ? Errors.NONE
                    : Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED;
        }
        return caller.mayOnGroup(AclOperation.DESCRIBE, key) ? Errors.NONE : Errors.GROUP_AUTHORIZATION_FAILED;
    }
}
