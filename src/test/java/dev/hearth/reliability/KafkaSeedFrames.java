package dev.hearth.reliability;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.network.ClientInformation;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.RequestAndSize;
import org.apache.kafka.common.requests.RequestContext;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * Seed frames for {@link KafkaFrameFuzzIT}: real client requests, built with kafka-clients' own message classes
 * and serialized exactly as a Java client sends them (request header + body), for every version of each API that
 * kafka-clients 4.4.0 still speaks. Each frame is checked with the parser the server uses ({@link #parse}); a
 * variant a version cannot carry (a topic id before topic ids existed) is left out.
 *
 * <p>The seeds name only {@link #SEED_TOPIC}, group {@link #GROUP} and transactional id {@link #TRANSACTIONAL_ID};
 * none of them creates a topic (CreateTopics is either validate-only or names the existing seed topic, Metadata
 * auto-creation names the existing seed topic), so every topic the server creates during fuzzing comes from a
 * mutation. Immutable after construction, so thread-safe.
 */
final class KafkaSeedFrames {

    static final String SEED_TOPIC = "fuzz-seed";
    static final int SEED_PARTITIONS = 2;
    static final String GROUP = "fuzz-group";
    static final String TRANSACTIONAL_ID = "fuzz-txn";
    static final String CLIENT_ID = "frame-fuzzer";

    private static final ListenerName LISTENER = ListenerName.forSecurityProtocol(SecurityProtocol.PLAINTEXT);

    /**
     * One serialized request.
     *
     * @param api           its API
     * @param version       its version
     * @param frame         request header and body, without the 4-byte length prefix
     * @param recordsOffset where a Produce request's record batch starts in {@code frame}, or -1
     * @param recordsLength the batch's length in bytes, or 0
     */
    record Seed(ApiKeys api, short version, byte[] frame, int recordsOffset, int recordsLength) {
        @Override
        public String toString() {
            return api + " v" + version;
        }
    }

    /** What the server makes of one complete frame: it parses (and answers unless acks=0), or it does not. */
    enum Verdict { ANSWERED, SILENT, MALFORMED }

    private final List<Seed> seeds;

    /**
     * @param seedTopicId the topic id of {@link #SEED_TOPIC} on the server, for the versions that name topics by id
     */
    KafkaSeedFrames(Uuid seedTopicId) {
        List<Seed> built = new ArrayList<>();
        for (Supplier<ApiMessage> request : requests(seedTopicId)) {
            ApiMessage data = request.get();
            ApiKeys api = ApiKeys.forId(data.apiKey());
            for (short version = api.oldestVersion(); version <= api.latestVersion(true); version++) {
                Seed seed = serialize(api, version, request.get());
                if (seed != null) {
                    built.add(seed);
                }
            }
        }
        this.seeds = List.copyOf(built);
    }

    List<Seed> seeds() {
        return seeds;
    }

    /** The verdict of the server's parser ({@code RequestHeader.parse}, then {@code RequestContext.parseRequest}). */
    static Verdict parse(byte[] buffer, int offset, int length) {
        try {
            ByteBuffer frame = ByteBuffer.wrap(buffer, offset, length).slice();
            RequestHeader header = RequestHeader.parse(frame);
            RequestContext context = new RequestContext(header, "fuzz", InetAddress.getLoopbackAddress(),
                    KafkaPrincipal.ANONYMOUS, LISTENER, SecurityProtocol.PLAINTEXT, ClientInformation.EMPTY, false);
            RequestAndSize parsed = context.parseRequest(frame);
            boolean silent = header.apiKey() == ApiKeys.PRODUCE && ((ProduceRequest) parsed.request).acks() == 0;
            return silent ? Verdict.SILENT : Verdict.ANSWERED;
        } catch (RuntimeException e) {
            return Verdict.MALFORMED;
        }
    }

    private static Seed serialize(ApiKeys api, short version, ApiMessage data) {
        byte[] frame;
        try {
            RequestHeader header = new RequestHeader(api, version, CLIENT_ID, 1);
            ByteBuffer head = MessageUtil.toByteBufferAccessor(header.data(), header.headerVersion()).buffer();
            ByteBuffer body = MessageUtil.toByteBufferAccessor(data, version).buffer();
            frame = new byte[head.remaining() + body.remaining()];
            head.get(frame, 0, head.remaining());
            body.get(frame, frame.length - body.remaining(), body.remaining());
        } catch (RuntimeException unsupportedInThisVersion) {
            return null;
        }
        if (parse(frame, 0, frame.length) == Verdict.MALFORMED) {
            return null;
        }
        int recordsOffset = -1;
        int recordsLength = 0;
        if (data instanceof ProduceRequestData produce) {
            MemoryRecords records = (MemoryRecords) produce.topicData().iterator().next().partitionData().get(0).records();
            byte[] batch = new byte[records.sizeInBytes()];
            records.buffer().duplicate().get(batch);
            recordsOffset = indexOf(frame, batch);
            recordsLength = recordsOffset < 0 ? 0 : batch.length;
        }
        return new Seed(api, version, frame, recordsOffset, recordsLength);
    }

    private static List<Supplier<ApiMessage>> requests(Uuid topicId) {
        List<Supplier<ApiMessage>> requests = new ArrayList<>();
        requests.add(() -> new ApiVersionsRequestData().setClientSoftwareName("apache-kafka-java")
                .setClientSoftwareVersion("4.4.0"));
        // Metadata: named topics, all topics, by topic id, and auto-creation of a topic that exists.
        requests.add(() -> new MetadataRequestData().setAllowAutoTopicCreation(false).setTopics(List.of(
                new MetadataRequestData.MetadataRequestTopic().setName(SEED_TOPIC))));
        requests.add(() -> new MetadataRequestData().setTopics(null).setAllowAutoTopicCreation(false));
        requests.add(() -> new MetadataRequestData().setAllowAutoTopicCreation(false).setTopics(List.of(
                new MetadataRequestData.MetadataRequestTopic().setTopicId(topicId).setName(null))));
        requests.add(() -> new MetadataRequestData().setAllowAutoTopicCreation(true).setTopics(List.of(
                new MetadataRequestData.MetadataRequestTopic().setName(SEED_TOPIC))));
        // Produce: plain, idempotent and gzip batches; acks all, 1 and 0; by name and by topic id.
        for (short acks : new short[] {-1, 1, 0}) {
            requests.add(() -> produce(acks, SEED_TOPIC, Uuid.ZERO_UUID, MemoryRecords.withRecords(Compression.NONE,
                    record("k1", "v1"), record("k2", "a somewhat longer value"), record(null, "v3"))));
            requests.add(() -> produce(acks, "", topicId, MemoryRecords.withRecords(Compression.NONE,
                    record("k1", "v1"), record("k2", "v2"))));
        }
        requests.add(() -> produce((short) -1, SEED_TOPIC, Uuid.ZERO_UUID, MemoryRecords.withIdempotentRecords(
                Compression.NONE, 4711L, (short) 0, 0, record("i", "idempotent"))));
        requests.add(() -> produce((short) -1, "", topicId, MemoryRecords.withIdempotentRecords(
                Compression.NONE, 4712L, (short) 0, 0, record("i", "idempotent"))));
        requests.add(() -> produce((short) -1, SEED_TOPIC, Uuid.ZERO_UUID, MemoryRecords.withRecords(
                Compression.gzip().build(), record("g", "gzip ".repeat(40)), record("h", "compressed"))));
        requests.add(() -> produce((short) -1, "", topicId, MemoryRecords.withRecords(
                Compression.gzip().build(), record("g", "gzip ".repeat(40)))));
        // Fetch by name and by id, short waits so that well-formed mutants are answered promptly.
        requests.add(() -> fetch(SEED_TOPIC, Uuid.ZERO_UUID));
        requests.add(() -> fetch("", topicId));
        requests.add(() -> new ListOffsetsRequestData().setReplicaId(-1).setTopics(List.of(
                new ListOffsetsRequestData.ListOffsetsTopic().setName(SEED_TOPIC).setPartitions(List.of(
                        new ListOffsetsRequestData.ListOffsetsPartition().setPartitionIndex(0).setTimestamp(-1L),
                        new ListOffsetsRequestData.ListOffsetsPartition().setPartitionIndex(1).setTimestamp(-2L))))));
        // CreateTopics: validate-only for a new name, and for real a name that exists (refused, creates nothing).
        requests.add(() -> createTopics("fuzz-created", true));
        requests.add(() -> createTopics(SEED_TOPIC, false));
        requests.add(() -> new InitProducerIdRequestData().setTransactionalId(null).setTransactionTimeoutMs(60_000));
        requests.add(() -> new InitProducerIdRequestData().setTransactionalId(TRANSACTIONAL_ID)
                .setTransactionTimeoutMs(60_000));
        requests.add(() -> new FindCoordinatorRequestData().setKey(GROUP).setKeyType((byte) 0));
        requests.add(() -> new FindCoordinatorRequestData().setKeyType((byte) 0).setCoordinatorKeys(List.of(GROUP)));
        requests.add(() -> {
            JoinGroupRequestData.JoinGroupRequestProtocolCollection protocols =
                    new JoinGroupRequestData.JoinGroupRequestProtocolCollection();
            protocols.add(new JoinGroupRequestData.JoinGroupRequestProtocol().setName("range")
                    .setMetadata(new byte[] {0, 3, 0, 0, 0, 1, 0, 9, 'f', 'u', 'z', 'z', '-', 's', 'e', 'e', 'd'}));
            return new JoinGroupRequestData().setGroupId(GROUP).setSessionTimeoutMs(10_000)
                    .setRebalanceTimeoutMs(10_000).setMemberId("").setProtocolType("consumer").setProtocols(protocols);
        });
        requests.add(() -> new SyncGroupRequestData().setGroupId(GROUP).setGenerationId(1).setMemberId("member-1")
                .setProtocolType("consumer").setProtocolName("range").setAssignments(List.of(
                        new SyncGroupRequestData.SyncGroupRequestAssignment().setMemberId("member-1")
                                .setAssignment(new byte[] {0, 3, 0, 0, 0, 0}))));
        requests.add(() -> new HeartbeatRequestData().setGroupId(GROUP).setGenerationId(1).setMemberId("member-1"));
        requests.add(() -> new LeaveGroupRequestData().setGroupId(GROUP).setMemberId("member-1"));
        requests.add(() -> new LeaveGroupRequestData().setGroupId(GROUP).setMembers(List.of(
                new LeaveGroupRequestData.MemberIdentity().setMemberId("member-1"))));
        requests.add(() -> new OffsetCommitRequestData().setGroupId(GROUP).setGenerationIdOrMemberEpoch(-1)
                .setMemberId("").setTopics(List.of(new OffsetCommitRequestData.OffsetCommitRequestTopic()
                        .setName(SEED_TOPIC).setPartitions(List.of(
                                new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(0)
                                        .setCommittedOffset(1L).setCommittedMetadata("fuzz"))))));
        requests.add(() -> new OffsetCommitRequestData().setGroupId(GROUP).setGenerationIdOrMemberEpoch(-1)
                .setMemberId("").setTopics(List.of(new OffsetCommitRequestData.OffsetCommitRequestTopic()
                        .setName("").setTopicId(topicId).setPartitions(List.of(
                                new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(1)
                                        .setCommittedOffset(2L))))));
        requests.add(() -> new OffsetFetchRequestData().setGroupId(GROUP).setTopics(List.of(
                new OffsetFetchRequestData.OffsetFetchRequestTopic().setName(SEED_TOPIC).setPartitionIndexes(List.of(0, 1)))));
        requests.add(() -> new OffsetFetchRequestData().setGroups(List.of(
                new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId(GROUP).setTopics(List.of(
                        new OffsetFetchRequestData.OffsetFetchRequestTopics().setName(SEED_TOPIC)
                                .setPartitionIndexes(List.of(0, 1)))))));
        requests.add(() -> new DescribeGroupsRequestData().setGroups(List.of(GROUP)));
        requests.add(ListGroupsRequestData::new);
        requests.add(DescribeClusterRequestData::new);
        requests.add(() -> new DescribeConfigsRequestData().setResources(List.of(
                new DescribeConfigsRequestData.DescribeConfigsResource().setResourceType((byte) 2)
                        .setResourceName(SEED_TOPIC).setConfigurationKeys(null))));
        requests.add(() -> {
            AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection topics =
                    new AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection();
            topics.add(new AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic().setName(SEED_TOPIC)
                    .setPartitions(List.of(0, 1)));
            return new AddPartitionsToTxnRequestData().setV3AndBelowTransactionalId(TRANSACTIONAL_ID)
                    .setV3AndBelowProducerId(1000L).setV3AndBelowProducerEpoch((short) 0).setV3AndBelowTopics(topics);
        });
        requests.add(() -> new EndTxnRequestData().setTransactionalId(TRANSACTIONAL_ID).setProducerId(1000L)
                .setProducerEpoch((short) 0).setCommitted(false));
        // Hearth has no SASL (yet): these must be refused cleanly, as any API the server does not offer.
        requests.add(() -> new SaslHandshakeRequestData().setMechanism("PLAIN"));
        requests.add(() -> new SaslAuthenticateRequestData()
                .setAuthBytes("\0fuzz-user\0wrong-password".getBytes(StandardCharsets.UTF_8)));
        return requests;
    }

    private static ProduceRequestData produce(short acks, String topic, Uuid topicId, MemoryRecords records) {
        ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
        topics.add(new ProduceRequestData.TopicProduceData().setName(topic).setTopicId(topicId).setPartitionData(List.of(
                new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(records))));
        return new ProduceRequestData().setAcks(acks).setTimeoutMs(5_000).setTopicData(topics);
    }

    private static FetchRequestData fetch(String topic, Uuid topicId) {
        return new FetchRequestData().setReplicaId(-1).setMaxWaitMs(50).setMinBytes(1).setMaxBytes(1 << 20)
                .setIsolationLevel((byte) 0).setSessionId(0).setSessionEpoch(-1).setTopics(List.of(
                        new FetchRequestData.FetchTopic().setTopic(topic).setTopicId(topicId).setPartitions(List.of(
                                new FetchRequestData.FetchPartition().setPartition(0).setFetchOffset(0L)
                                        .setPartitionMaxBytes(1 << 20),
                                new FetchRequestData.FetchPartition().setPartition(1).setFetchOffset(0L)
                                        .setPartitionMaxBytes(1 << 20)))));
    }

    private static CreateTopicsRequestData createTopics(String name, boolean validateOnly) {
        CreateTopicsRequestData.CreatableTopicCollection topics = new CreateTopicsRequestData.CreatableTopicCollection();
        topics.add(new CreateTopicsRequestData.CreatableTopic().setName(name).setNumPartitions(1)
                .setReplicationFactor((short) 1));
        return new CreateTopicsRequestData().setTopics(topics).setTimeoutMs(5_000).setValidateOnly(validateOnly);
    }

    private static SimpleRecord record(String key, String value) {
        return new SimpleRecord(System.currentTimeMillis(), key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8));
    }

    /** Where {@code needle} first occurs in {@code haystack}, or -1. */
    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
