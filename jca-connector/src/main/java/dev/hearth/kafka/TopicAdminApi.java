package dev.hearth.kafka;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.AlterConfigsRequest;
import org.apache.kafka.common.requests.AlterConfigsResponse;
import org.apache.kafka.common.requests.CreatePartitionsRequest;
import org.apache.kafka.common.requests.CreatePartitionsResponse;
import org.apache.kafka.common.requests.CreateTopicsRequest;
import org.apache.kafka.common.requests.CreateTopicsResponse;
import org.apache.kafka.common.requests.DeleteTopicsRequest;
import org.apache.kafka.common.requests.DeleteTopicsResponse;
import org.apache.kafka.common.requests.DescribeConfigsRequest;
import org.apache.kafka.common.requests.DescribeConfigsResponse;
import org.apache.kafka.common.requests.IncrementalAlterConfigsRequest;
import org.apache.kafka.common.requests.IncrementalAlterConfigsResponse;

import dev.hearth.engine.TopicConfig;
import dev.hearth.engine.TopicInfo;
import dev.hearth.engine.TopicNames;
import dev.hearth.engine.log.LogEngine;

/**
 * Topic administration as Kafka's admin client and CLI tools drive it. Hearth is one broker, so a
 * replication factor above 1 is refused as Kafka refuses it with too few brokers.
 *
 * <p>Authorization is Kafka's: CreateTopics CREATE on the cluster or the topic (and DESCRIBE_CONFIGS on the topic
 * to see its configs), DeleteTopics DELETE, CreatePartitions ALTER, DescribeConfigs DESCRIBE_CONFIGS and
 * (Incremental)AlterConfigs ALTER_CONFIGS on the topic, or on the cluster for broker configs. A refused resource
 * is answered TOPIC_AUTHORIZATION_FAILED (CLUSTER_AUTHORIZATION_FAILED for broker configs) and left unchanged.
 * Every change made (not a validate-only request) is recorded in {@link KafkaAuditTopic} before the answer.
 *
 * <p>Thread-safe.
 */
final class TopicAdminApi {

    private static final byte SOURCE_TOPIC = DescribeConfigsResponse.ConfigSource.TOPIC_CONFIG.id();
    private static final byte SOURCE_DEFAULT = DescribeConfigsResponse.ConfigSource.DEFAULT_CONFIG.id();

    private final LogEngine engine;
    private final KafkaListenerConfig config;
    private final KafkaAuditTopic audit;
    private final BrokerConfigs brokerConfigs;

    TopicAdminApi(LogEngine engine, KafkaListenerConfig config, KafkaAuditTopic audit, BrokerConfigs brokerConfigs) {
        this.engine = engine;
        this.config = config;
        this.audit = audit;
        this.brokerConfigs = brokerConfigs;
    }

    AbstractResponse createTopics(RequestAuthorizer.Caller caller, AbstractRequest request) {
        CreateTopicsRequestData requested = ((CreateTopicsRequest) request).data();
        CreateTopicsResponseData data = new CreateTopicsResponseData();
        boolean mayCreateAny = caller.mayOnCluster(AclOperation.CREATE);
        for (CreateTopicsRequestData.CreatableTopic topic : requested.topics()) {
            CreateTopicsResponseData.CreatableTopicResult result = new CreateTopicsResponseData.CreatableTopicResult()
                    .setName(topic.name());
            if (!mayCreateAny && !caller.mayOnTopic(AclOperation.CREATE, topic.name())) {
                data.topics().add(result.setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())
                        .setErrorMessage(Errors.TOPIC_AUTHORIZATION_FAILED.message())
                        .setNumPartitions(-1).setReplicationFactor((short) -1));
                continue;
            }
            try {
                int partitions = topic.numPartitions() == -1 ? config.defaultPartitions() : topic.numPartitions();
                if (topic.replicationFactor() > 1) {
                    result.setErrorCode(Errors.INVALID_REPLICATION_FACTOR.code()).setErrorMessage(
                            "Replication factor " + topic.replicationFactor() + " is larger than the 1 broker Hearth has");
                } else if (!topic.assignments().isEmpty()) {
                    result.setErrorCode(Errors.INVALID_REQUEST.code())
                            .setErrorMessage("Manual replica assignment is not supported");
                } else {
                    Map<String, String> configs = new LinkedHashMap<>();
                    topic.configs().forEach(c -> configs.put(c.name(), c.value()));
                    TopicInfo info;
                    if (requested.validateOnly()) {
                        TopicNames.validate(topic.name());
                        engine.validatePartitionCount(partitions, partitions);
                        engine.config().topicDefaults().with(configs);
                        if (engine.topicExists(topic.name())) {
                            throw new dev.hearth.engine.TopicExistsException("Topic '" + topic.name() + "' already exists.");
                        }
                        info = null;
                    } else {
                        info = engine.createTopic(topic.name(), partitions, configs);
                        audit.record(caller, "CREATE_TOPIC", "topic", topic.name(), "partitions=" + partitions
                                + (configs.isEmpty() ? "" : ", " + describeChanges(configs)));
                    }
                    result.setNumPartitions(partitions).setReplicationFactor((short) 1);
                    if (!caller.mayOnTopic(AclOperation.DESCRIBE_CONFIGS, topic.name())) {
                        // Kafka hides the created topic's shape and configs from a caller that may not describe them.
                        result.setNumPartitions(-1).setReplicationFactor((short) -1)
                                .setTopicConfigErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code());
                        if (info != null) {
                            result.setTopicId(Uuid.fromString(info.topicId()));
                        }
                    } else if (info != null) {
                        result.setTopicId(Uuid.fromString(info.topicId()));
                        for (Map.Entry<String, String> entry : info.config().toMap().entrySet()) {
                            result.configs().add(new CreateTopicsResponseData.CreatableTopicConfigs()
                                    .setName(entry.getKey()).setValue(entry.getValue())
                                    .setConfigSource(configs.containsKey(entry.getKey()) ? SOURCE_TOPIC : SOURCE_DEFAULT));
                        }
                    }
                }
            } catch (RuntimeException e) {
                result.setErrorCode(KafkaErrors.of(e).code()).setErrorMessage(e.getMessage());
            }
            data.topics().add(result);
        }
        return new CreateTopicsResponse(data);
    }

    /**
     * DeleteTopics: DELETE on each topic, else TOPIC_AUTHORIZATION_FAILED, decided before existence (an unknown topic
     * is UNKNOWN_TOPIC_OR_PARTITION only to a caller that may delete it). For a topic named by id, DESCRIBE decides
     * whether the answer reveals its name, as in Kafka.
     */
    AbstractResponse deleteTopics(RequestAuthorizer.Caller caller, AbstractRequest request) {
        DeleteTopicsRequestData requested = ((DeleteTopicsRequest) request).data();
        DeleteTopicsResponseData data = new DeleteTopicsResponseData();
        java.util.List<DeleteTopicsRequestData.DeleteTopicState> targets = new java.util.ArrayList<>(requested.topics());
        for (String name : requested.topicNames()) {
            targets.add(new DeleteTopicsRequestData.DeleteTopicState().setName(name));
        }
        for (DeleteTopicsRequestData.DeleteTopicState target : targets) {
            DeleteTopicsResponseData.DeletableTopicResult result = new DeleteTopicsResponseData.DeletableTopicResult()
                    .setName(target.name());
            if (request.version() >= 6) {
                result.setTopicId(target.topicId() == null ? Uuid.ZERO_UUID : target.topicId());
            }
            boolean byName = target.name() != null && !target.name().isEmpty();
            Optional<String> name = Optional.ofNullable(target.name()).filter(n -> !n.isEmpty())
                    .or(() -> target.topicId() == null ? Optional.empty() : engine.topicNameForId(target.topicId().toString()));
            try {
                if (name.isEmpty()) {
                    result.setErrorCode(Errors.UNKNOWN_TOPIC_ID.code());
                } else if (!byName && !caller.mayOnTopic(AclOperation.DESCRIBE, name.get())) {
                    result.setName(null).setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code());
                } else if (!caller.mayOnTopic(AclOperation.DELETE, name.get())) {
                    result.setName(name.get()).setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())
                            .setErrorMessage(request.version() >= 5 ? Errors.TOPIC_AUTHORIZATION_FAILED.message() : null);
                } else {
                    result.setName(name.get());
                    engine.deleteTopic(name.get());
                    audit.record(caller, "DELETE_TOPIC", "topic", name.get(), "");
                }
            } catch (RuntimeException e) {
                result.setErrorCode(KafkaErrors.of(e).code()).setErrorMessage(request.version() >= 5 ? e.getMessage() : null);
            }
            data.responses().add(result);
        }
        return new DeleteTopicsResponse(data);
    }

    AbstractResponse createPartitions(RequestAuthorizer.Caller caller, AbstractRequest request) {
        CreatePartitionsRequestData requested = ((CreatePartitionsRequest) request).data();
        CreatePartitionsResponseData data = new CreatePartitionsResponseData();
        for (CreatePartitionsRequestData.CreatePartitionsTopic topic : requested.topics()) {
            CreatePartitionsResponseData.CreatePartitionsTopicResult result =
                    new CreatePartitionsResponseData.CreatePartitionsTopicResult().setName(topic.name());
            if (!caller.mayOnTopic(AclOperation.ALTER, topic.name())) {
                data.results().add(result.setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())
                        .setErrorMessage(Errors.TOPIC_AUTHORIZATION_FAILED.message()));
                continue;
            }
            try {
                if (requested.validateOnly()) {
                    int current = engine.partitionCount(topic.name());
                    if (topic.count() <= current) {
                        throw dev.hearth.engine.InvalidPartitionsException.notAnIncrease(topic.name(), current,
                                topic.count());
                    }
                    engine.validatePartitionCount(topic.count(), topic.count() - current);
                } else {
                    engine.addPartitions(topic.name(), topic.count());
                    audit.record(caller, "ADD_PARTITIONS", "topic", topic.name(), "partitions=" + topic.count());
                }
            } catch (RuntimeException e) {
                result.setErrorCode(KafkaErrors.of(e).code()).setErrorMessage(e.getMessage());
            }
            data.results().add(result);
        }
        return new CreatePartitionsResponse(data);
    }

    AbstractResponse describeConfigs(RequestAuthorizer.Caller caller, AbstractRequest request) {
        DescribeConfigsRequestData requested = ((DescribeConfigsRequest) request).data();
        DescribeConfigsResponseData data = new DescribeConfigsResponseData();
        for (DescribeConfigsRequestData.DescribeConfigsResource resource : requested.resources()) {
            DescribeConfigsResponseData.DescribeConfigsResult result = new DescribeConfigsResponseData.DescribeConfigsResult()
                    .setResourceType(resource.resourceType()).setResourceName(resource.resourceName());
            ConfigResource.Type type = ConfigResource.Type.forId(resource.resourceType());
            Errors denied = denied(caller, AclOperation.DESCRIBE_CONFIGS, type, resource.resourceName());
            if (denied != Errors.NONE) {
                data.results().add(result.setErrorCode(denied.code()).setErrorMessage(denied.message()));
                continue;
            }
            try {
                if (type == ConfigResource.Type.TOPIC) {
                    Map<String, String> overrides = engine.configOverrides(resource.resourceName());
                    TopicConfigSynonyms synonyms = new TopicConfigSynonyms(brokerConfigs.entries().stream()
                            .collect(java.util.stream.Collectors.toMap(BrokerConfigs.Entry::name, e -> e)));
                    for (Map.Entry<String, String> entry : engine.describeTopic(resource.resourceName()).config().toMap().entrySet()) {
                        if (resource.configurationKeys() == null || resource.configurationKeys().contains(entry.getKey())) {
                            result.configs().add(topicConfig(entry.getKey(), entry.getValue(), synonyms.of(entry.getKey(),
                                    entry.getValue(), overrides.containsKey(entry.getKey())), requested.includeSynonyms()));
                        }
                    }
                } else if (type == ConfigResource.Type.BROKER) {
                    describeBroker(resource, result, request.version(), requested.includeSynonyms());
                } else if (type != ConfigResource.Type.BROKER_LOGGER) {
                    result.setErrorCode(Errors.INVALID_REQUEST.code())
                            .setErrorMessage("Hearth describes topic and broker configs only, not " + type);
                }
            } catch (RuntimeException e) {
                result.setErrorCode(KafkaErrors.of(e).code()).setErrorMessage(e.getMessage());
            }
            data.results().add(result);
        }
        return new DescribeConfigsResponse(data);
    }

    /** One topic config as a Kafka broker describes it: its source is its first synonym's ({@link TopicConfigSynonyms}). */
    private static DescribeConfigsResponseData.DescribeConfigsResourceResult topicConfig(
            String name, String value, List<DescribeConfigsResponseData.DescribeConfigsSynonym> synonyms,
            boolean includeSynonyms) {
        DescribeConfigsResponseData.DescribeConfigsResourceResult config =
                new DescribeConfigsResponseData.DescribeConfigsResourceResult().setName(name).setValue(value)
                        .setConfigSource(synonyms.isEmpty() ? SOURCE_DEFAULT : synonyms.get(0).source())
                        .setReadOnly(false).setIsSensitive(false);
        if (includeSynonyms) {
            config.synonyms().addAll(synonyms);
        }
        return config;
    }

    /**
     * A BROKER resource as Kafka answers it: this node's id ({@value KafkaListenerConfig#NODE_ID}) gets every
     * {@link BrokerConfigs} entry; the empty name (the cluster-wide dynamic defaults) gets none, as Hearth has no
     * dynamic configs; any other id is INVALID_REQUEST.
     */
    private void describeBroker(DescribeConfigsRequestData.DescribeConfigsResource resource,
                                DescribeConfigsResponseData.DescribeConfigsResult result, short version,
                                boolean includeSynonyms) {
        String name = resource.resourceName();
        if (name == null || name.isEmpty()) {
            return;
        }
        if (!name.equals(Integer.toString(KafkaListenerConfig.NODE_ID))) {
            result.setErrorCode(Errors.INVALID_REQUEST.code()).setErrorMessage("Unexpected broker id, expected "
                    + KafkaListenerConfig.NODE_ID + " or empty string, but received " + name);
            return;
        }
        for (BrokerConfigs.Entry entry : brokerConfigs.entries()) {
            if (resource.configurationKeys() != null && !resource.configurationKeys().contains(entry.name())) {
                continue;
            }
            DescribeConfigsResponseData.DescribeConfigsResourceResult config =
                    new DescribeConfigsResponseData.DescribeConfigsResourceResult()
                            .setName(entry.name()).setValue(entry.value()).setReadOnly(true)
                            .setConfigSource(entry.source().id()).setIsSensitive(false);
            if (version >= 3) {
                config.setConfigType(entry.type().id());
            }
            if (includeSynonyms) {
                // The value's one source: Hearth has no dynamic layers above it.
                config.synonyms().add(new DescribeConfigsResponseData.DescribeConfigsSynonym()
                        .setName(entry.name()).setValue(entry.value()).setSource(entry.source().id()));
            }
            result.configs().add(config);
        }
    }

    AbstractResponse alterConfigs(RequestAuthorizer.Caller caller, AbstractRequest request) {
        AlterConfigsRequestData requested = ((AlterConfigsRequest) request).data();
        AlterConfigsResponseData data = new AlterConfigsResponseData();
        for (AlterConfigsRequestData.AlterConfigsResource resource : requested.resources()) {
            AlterConfigsResponseData.AlterConfigsResourceResponse result = new AlterConfigsResponseData.AlterConfigsResourceResponse()
                    .setResourceType(resource.resourceType()).setResourceName(resource.resourceName());
            Errors denied = denied(caller, AclOperation.ALTER_CONFIGS, ConfigResource.Type.forId(resource.resourceType()),
                    resource.resourceName());
            if (denied != Errors.NONE) {
                data.responses().add(result.setErrorCode(denied.code()).setErrorMessage(denied.message()));
                continue;
            }
            try {
                requireTopic(resource.resourceType());
                // Legacy AlterConfigs replaces the whole set of overrides.
                Map<String, String> changes = new HashMap<>();
                engine.configOverrides(resource.resourceName()).keySet().forEach(key -> changes.put(key, null));
                resource.configs().forEach(c -> changes.put(c.name(), c.value()));
                apply(caller, resource.resourceName(), changes, requested.validateOnly());
            } catch (RuntimeException e) {
                result.setErrorCode(KafkaErrors.of(e).code()).setErrorMessage(e.getMessage());
            }
            data.responses().add(result);
        }
        return new AlterConfigsResponse(data);
    }

    AbstractResponse incrementalAlterConfigs(RequestAuthorizer.Caller caller, AbstractRequest request) {
        IncrementalAlterConfigsRequestData requested = ((IncrementalAlterConfigsRequest) request).data();
        IncrementalAlterConfigsResponseData data = new IncrementalAlterConfigsResponseData();
        for (IncrementalAlterConfigsRequestData.AlterConfigsResource resource : requested.resources()) {
            IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse result =
                    new IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse()
                            .setResourceType(resource.resourceType()).setResourceName(resource.resourceName());
            Errors denied = denied(caller, AclOperation.ALTER_CONFIGS, ConfigResource.Type.forId(resource.resourceType()),
                    resource.resourceName());
            if (denied != Errors.NONE) {
                data.responses().add(result.setErrorCode(denied.code()).setErrorMessage(denied.message()));
                continue;
            }
            try {
                requireTopic(resource.resourceType());
                Map<String, String> changes = new HashMap<>();
                for (IncrementalAlterConfigsRequestData.AlterableConfig change : resource.configs()) {
                    switch (change.configOperation()) {
                        case 0 -> changes.put(change.name(), change.value());
                        // Kafka validates only the resulting set, so a DELETE of a key that is not set (one Hearth
                        // does not implement cannot be) is a no-op there too: MirrorMaker's topic config sync
                        // DELETEs every config the source reports at its default, compression.type among them.
                        case 1 -> {
                            if (TopicConfig.KEYS.contains(change.name())) {
                                changes.put(change.name(), null);
                            }
                        }
                        default -> throw new dev.hearth.engine.InvalidConfigException("Config operation "
                                + change.configOperation() + " (APPEND/SUBTRACT) applies to list configs, which no topic config of Hearth is");
                    }
                }
                apply(caller, resource.resourceName(), changes, requested.validateOnly());
            } catch (RuntimeException e) {
                result.setErrorCode(KafkaErrors.of(e).code()).setErrorMessage(e.getMessage());
            }
            data.responses().add(result);
        }
        return new IncrementalAlterConfigsResponse(data);
    }

    private void apply(RequestAuthorizer.Caller caller, String topic, Map<String, String> changes,
                       boolean validateOnly) {
        for (String key : changes.keySet()) {
            if (!TopicConfig.KEYS.contains(key)) {
                throw new dev.hearth.engine.InvalidConfigException("Unknown topic config '" + key + "'");
            }
        }
        if (validateOnly) {
            Map<String, String> merged = new HashMap<>(engine.configOverrides(topic));
            changes.forEach((key, value) -> {
                if (value == null) {
                    merged.remove(key);
                } else {
                    merged.put(key, value);
                }
            });
            engine.config().topicDefaults().with(merged);
        } else {
            engine.alterConfig(topic, changes);
            audit.record(caller, "ALTER_TOPIC_CONFIGS", "topic", topic, describeChanges(changes));
        }
    }

    /** {@code k=v, k2 deleted}, in key order, for the audit trail. */
    private static String describeChanges(Map<String, String> changes) {
        StringBuilder detail = new StringBuilder();
        for (Map.Entry<String, String> change : new java.util.TreeMap<>(changes).entrySet()) {
            if (detail.length() > 0) {
                detail.append(", ");
            }
            detail.append(change.getKey()).append(change.getValue() == null ? " deleted" : "=" + change.getValue());
        }
        return detail.toString();
    }

    /**
     * The error for a caller that may not perform {@code operation} on a config resource, or NONE: a topic's configs
     * are guarded by the topic, the broker's (and its loggers') by the cluster, as in Kafka.
     */
    private static Errors denied(RequestAuthorizer.Caller caller, AclOperation operation, ConfigResource.Type type,
                                 String name) {
        return switch (type) {
            case TOPIC -> caller.mayOnTopic(operation, name) ? Errors.NONE : Errors.TOPIC_AUTHORIZATION_FAILED;
            case BROKER, BROKER_LOGGER -> caller.mayOnCluster(operation) ? Errors.NONE
                    : Errors.CLUSTER_AUTHORIZATION_FAILED;
            default -> Errors.NONE;
        };
    }

    private static void requireTopic(byte resourceType) {
        if (ConfigResource.Type.forId(resourceType) != ConfigResource.Type.TOPIC) {
            throw new dev.hearth.engine.InvalidConfigException("Hearth alters topic configs only, not "
                    + ConfigResource.Type.forId(resourceType) + " configs");
        }
    }

}
