package dev.hearth.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntSupplier;

import org.apache.kafka.common.Uuid;
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
        return new ApiVersionsResponse(data);
    }

    AbstractResponse metadata(AbstractRequest request) {
        MetadataRequest metadata = (MetadataRequest) request;
        MetadataResponseData data = new MetadataResponseData()
                .setClusterId(config.clusterId())
                .setControllerId(KafkaListenerConfig.NODE_ID);
        data.brokers().add(new MetadataResponseData.MetadataResponseBroker()
                .setNodeId(KafkaListenerConfig.NODE_ID).setHost(config.advertisedHost()).setPort(port.getAsInt()));
        if (metadata.isAllTopics()) {
            for (TopicInfo topic : engine.listTopics()) {
                data.topics().add(describe(topic));
            }
        } else {
            for (MetadataRequestData.MetadataRequestTopic requested : metadata.data().topics()) {
                data.topics().add(describeRequested(requested, metadata.allowAutoTopicCreation(), request.version()));
            }
        }
        return new MetadataResponse(data, request.version());
    }

    private MetadataResponseTopic describeRequested(MetadataRequestData.MetadataRequestTopic requested, boolean autoCreate,
                                                  short version) {
        Optional<String> name = topics.resolve(requested.name(), requested.topicId());
        if (name.isEmpty()) {
            // The name is nullable from version 12 on; before, an empty name stands for "none".
            return new MetadataResponseTopic().setErrorCode(Errors.UNKNOWN_TOPIC_ID.code())
                    .setTopicId(requested.topicId()).setName(version >= 12 ? null : "");
        }
        String topic = name.get();
        try {
            if (!(engine.topicExists(topic) || autoCreate && topics.maybeAutoCreate(topic))) {
                return new MetadataResponseTopic().setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code()).setName(topic);
            }
            return describe(engine.describeTopic(topic));
        } catch (RuntimeException e) {
            return new MetadataResponseTopic().setErrorCode(KafkaErrors.of(e).code()).setName(topic);
        }
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

    AbstractResponse describeCluster(AbstractRequest request) {
        DescribeClusterResponseData data = new DescribeClusterResponseData()
                .setClusterId(config.clusterId())
                .setControllerId(KafkaListenerConfig.NODE_ID);
        data.brokers().add(new DescribeClusterResponseData.DescribeClusterBroker()
                .setBrokerId(KafkaListenerConfig.NODE_ID).setHost(config.advertisedHost()).setPort(port.getAsInt()));
        return new DescribeClusterResponse(data);
    }

    AbstractResponse findCoordinator(AbstractRequest request) {
        FindCoordinatorRequestData requested = ((FindCoordinatorRequest) request).data();
        FindCoordinatorResponseData data = new FindCoordinatorResponseData();
        if (request.version() >= 4) {
            for (String key : requested.coordinatorKeys()) {
                data.coordinators().add(new FindCoordinatorResponseData.Coordinator()
                        .setKey(key).setNodeId(KafkaListenerConfig.NODE_ID)
                        .setHost(config.advertisedHost()).setPort(port.getAsInt()));
            }
        } else {
            if (requested.key() == null) {
                throw new InvalidRequestException("FindCoordinator without a key");
            }
            data.setNodeId(KafkaListenerConfig.NODE_ID).setHost(config.advertisedHost()).setPort(port.getAsInt());
        }
        return new FindCoordinatorResponse(data);
    }
}
