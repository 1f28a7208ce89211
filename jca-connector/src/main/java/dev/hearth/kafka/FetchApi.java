package dev.hearth.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.ListOffsetsRequest;
import org.apache.kafka.common.requests.ListOffsetsResponse;

import dev.hearth.engine.AbortedTransaction;
import dev.hearth.engine.FetchResult;
import dev.hearth.engine.Isolation;
import dev.hearth.engine.PartitionInfo;
import dev.hearth.engine.TimestampAndOffset;
import dev.hearth.engine.log.LogEngine;

/**
 * Fetch (with long polling) and ListOffsets. Record bytes are served as stored: the response carries
 * file-region views of the segments, which the connection writes with zero copy.
 *
 * <p>Long poll: a fetch that finds fewer than {@code minBytes} parks until an append to one of its
 * partitions or {@code maxWaitMs}, whichever comes first, then reads again. READ_COMMITTED fetches stop at the
 * last stable offset and carry the aborted transactions in range, which the client filters out.
 *
 * <p>A parked fetch holds no thread: it is an entry in a map and a timer on its connection's event loop. Its
 * second read (after a wake-up or the time-out) runs as a continuation on the request-handler threads, never on
 * a network thread or on the appending thread.
 *
 * <p>Thread-safety: parked fetches live in a concurrent map; each completes exactly once (an atomic flag
 * decides between wake-up and time-out).
 */
final class FetchApi {

    private final LogEngine engine;
    private final TopicResolver topics;
    private final ConcurrentHashMap<String, Set<ParkedFetch>> parked = new ConcurrentHashMap<>();
    /** Runs the reads that complete parked fetches: the request-handler threads. */
    private final Executor continuations;

    FetchApi(LogEngine engine, TopicResolver topics, Executor continuations) {
        this.engine = engine;
        this.topics = topics;
        this.continuations = continuations;
    }

    /**
     * Reads what the caller may read: a topic without READ is answered TOPIC_AUTHORIZATION_FAILED for its
     * partitions (decided once, when the request arrives; a parked fetch keeps that decision).
     */
    CompletableFuture<AbstractResponse> fetch(RequestAuthorizer.Caller caller, AbstractRequest request,
                                              ScheduledExecutorService scheduler) {
        FetchRequestData data = ((FetchRequest) request).data();
        ReadOutcome first = read(caller, data, request.version());
        if (first.bytes >= data.minBytes() || data.maxWaitMs() <= 0 || first.hasError) {
            return CompletableFuture.completedFuture(first.response);
        }
        ParkedFetch waiting = new ParkedFetch(caller, data, request.version(), first.keys);
        for (String key : first.keys) {
            parked.compute(key, (k, waiters) -> {
                Set<ParkedFetch> set = waiters == null ? ConcurrentHashMap.newKeySet() : waiters;
                set.add(waiting);
                return set;
            });
        }
        scheduler.schedule(() -> completeLater(waiting), data.maxWaitMs(), TimeUnit.MILLISECONDS);
        return waiting.future;
    }

    /**
     * Called after every append, on the appending thread: wakes fetches parked on that partition. Their reads
     * run as continuations on the handler threads, not on the appender's thread.
     */
    void onAppend(String topic, int partition) {
        if (parked.isEmpty()) {
            // The common case under load: nobody is waiting, so no key is built on the append path.
            return;
        }
        Set<ParkedFetch> waiting = parked.get(key(topic, partition));
        if (waiting != null && !waiting.isEmpty()) {
            for (ParkedFetch fetch : List.copyOf(waiting)) {
                completeLater(fetch);
            }
        }
    }

    private void completeLater(ParkedFetch fetch) {
        if (fetch.done.get()) {
            return;
        }
        try {
            continuations.execute(() -> complete(fetch));
        } catch (RejectedExecutionException e) {
            // The listener is stopping: its connections are being closed, nobody waits for this answer.
            fetch.future.completeExceptionally(e);
        }
    }

    private void complete(ParkedFetch fetch) {
        if (!fetch.done.compareAndSet(false, true)) {
            return;
        }
        for (String key : fetch.keys) {
            // Drop a partition's entry when its last waiter leaves, so that an idle broker's map is empty.
            parked.computeIfPresent(key, (k, waiting) -> {
                waiting.remove(fetch);
                return waiting.isEmpty() ? null : waiting;
            });
        }
        try {
            fetch.future.complete(read(fetch.caller, fetch.data, fetch.version).response);
        } catch (RuntimeException e) {
            fetch.future.completeExceptionally(e);
        }
    }

    private ReadOutcome read(RequestAuthorizer.Caller caller, FetchRequestData data, short version) {
        boolean byId = version >= 13;
        Isolation isolation = data.isolationLevel() == 1 ? Isolation.READ_COMMITTED : Isolation.READ_UNCOMMITTED;
        FetchResponseData response = new FetchResponseData().setSessionId(0);
        List<String> keys = new ArrayList<>();
        long remaining = data.maxBytes();
        long bytes = 0;
        boolean hasError = false;
        for (FetchRequestData.FetchTopic topicData : data.topics()) {
            FetchResponseData.FetchableTopicResponse topicResponse = new FetchResponseData.FetchableTopicResponse();
            if (byId) {
                topicResponse.setTopicId(topicData.topicId());
            } else {
                topicResponse.setTopic(topicData.topic());
            }
            Optional<String> topic = topics.resolve(topicData.topic(), topicData.topicId());
            for (FetchRequestData.FetchPartition partitionData : topicData.partitions()) {
                FetchResponseData.PartitionData partition = new FetchResponseData.PartitionData()
                        .setPartitionIndex(partitionData.partition())
                        .setRecords(MemoryRecords.EMPTY);
                if (topic.isEmpty()) {
                    partition.setErrorCode((byId ? Errors.UNKNOWN_TOPIC_ID : Errors.UNKNOWN_TOPIC_OR_PARTITION).code());
                    hasError = true;
                } else if (!caller.mayOnTopic(AclOperation.READ, topic.get())) {
                    partition.setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code());
                    hasError = true;
                } else {
                    keys.add(key(topic.get(), partitionData.partition()));
                    int limit = (int) Math.max(0, Math.min(partitionData.partitionMaxBytes(), remaining));
                    try {
                        FetchResult result = engine.read(topic.get(), partitionData.partition(),
                                partitionData.fetchOffset(), bytes == 0 ? Math.max(limit, 1) : limit, isolation);
                        int size = limit == 0 && bytes > 0 ? 0 : result.records().sizeInBytes();
                        partition.setHighWatermark(result.highWatermark())
                                .setLastStableOffset(result.lastStableOffset())
                                .setLogStartOffset(result.logStartOffset())
                                .setRecords(size == 0 ? MemoryRecords.EMPTY : result.records());
                        if (isolation == Isolation.READ_COMMITTED) {
                            List<FetchResponseData.AbortedTransaction> aborted = new ArrayList<>();
                            for (AbortedTransaction transaction : result.abortedTransactions()) {
                                aborted.add(new FetchResponseData.AbortedTransaction()
                                        .setProducerId(transaction.producerId())
                                        .setFirstOffset(transaction.firstOffset()));
                            }
                            partition.setAbortedTransactions(aborted);
                        }
                        bytes += size;
                        remaining -= size;
                    } catch (RuntimeException e) {
                        partition.setErrorCode(KafkaErrors.of(e).code());
                        hasError = true;
                    }
                }
                topicResponse.partitions().add(partition);
            }
            response.responses().add(topicResponse);
        }
        return new ReadOutcome(FetchResponse.of(response), bytes, keys, hasError);
    }

    /** ListOffsets needs DESCRIBE on each topic, else TOPIC_AUTHORIZATION_FAILED for its partitions. */
    AbstractResponse listOffsets(RequestAuthorizer.Caller caller, AbstractRequest request) {
        ListOffsetsRequest listOffsets = (ListOffsetsRequest) request;
        boolean readCommitted = switch (listOffsets.data().isolationLevel()) {
            case 0 -> false;
            case 1 -> true;
            default -> throw new InvalidRequestException("Unknown isolation level "
                    + listOffsets.data().isolationLevel());
        };
        ListOffsetsResponseData data = new ListOffsetsResponseData();
        for (ListOffsetsRequestData.ListOffsetsTopic topicData : listOffsets.topics()) {
            ListOffsetsResponseData.ListOffsetsTopicResponse topicResponse =
                    new ListOffsetsResponseData.ListOffsetsTopicResponse().setName(topicData.name());
            boolean allowed = caller.mayOnTopic(AclOperation.DESCRIBE, topicData.name());
            for (ListOffsetsRequestData.ListOffsetsPartition partitionData : topicData.partitions()) {
                if (!allowed) {
                    ListOffsetsResponseData.ListOffsetsPartitionResponse denied =
                            new ListOffsetsResponseData.ListOffsetsPartitionResponse()
                                    .setPartitionIndex(partitionData.partitionIndex()).setTimestamp(-1).setOffset(-1)
                                    .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code());
                    topicResponse.partitions().add(denied);
                    continue;
                }
                topicResponse.partitions().add(listOffset(topicData.name(), partitionData, request.version(),
                        readCommitted));
            }
            data.topics().add(topicResponse);
        }
        return new ListOffsetsResponse(data);
    }

    private ListOffsetsResponseData.ListOffsetsPartitionResponse listOffset(
            String topic, ListOffsetsRequestData.ListOffsetsPartition requested, short version, boolean readCommitted) {
        ListOffsetsResponseData.ListOffsetsPartitionResponse response =
                new ListOffsetsResponseData.ListOffsetsPartitionResponse()
                        .setPartitionIndex(requested.partitionIndex())
                        .setTimestamp(-1).setOffset(-1);
        if (version >= 4) {
            // Older versions have no leader epoch field; writing one there fails serialization.
            response.setLeaderEpoch(0);
        }
        try {
            long timestamp = requested.timestamp();
            if (timestamp == ListOffsetsRequest.EARLIEST_TIMESTAMP || timestamp == ListOffsetsRequest.EARLIEST_LOCAL_TIMESTAMP) {
                return response.setOffset(engine.describePartition(topic, requested.partitionIndex()).logStartOffset());
            }
            if (timestamp == ListOffsetsRequest.LATEST_TIMESTAMP || timestamp == ListOffsetsRequest.LATEST_TIERED_TIMESTAMP) {
                PartitionInfo info = engine.describePartition(topic, requested.partitionIndex());
                return response.setOffset(readCommitted ? info.lastStableOffset() : info.highWatermark());
            }
            if (timestamp == ListOffsetsRequest.MAX_TIMESTAMP) {
                // v7+ (KIP-734): the offset and timestamp of the record with the largest timestamp; -1 when empty.
                engine.findMaxTimestamp(topic, requested.partitionIndex())
                        .ifPresent(hit -> response.setOffset(hit.offset()).setTimestamp(hit.timestamp()));
                return response;
            }
            if (timestamp < 0) {
                return response.setErrorCode(Errors.UNSUPPORTED_VERSION.code());
            }
            Optional<TimestampAndOffset> found = engine.findByTimestamp(topic, requested.partitionIndex(), timestamp);
            found.ifPresent(hit -> response.setOffset(hit.offset()).setTimestamp(hit.timestamp()));
            return response;
        } catch (RuntimeException e) {
            return response.setErrorCode(KafkaErrors.of(e).code());
        }
    }

    private static String key(String topic, int partition) {
        return topic + '\u0000' + partition;
    }

    private record ReadOutcome(FetchResponse response, long bytes, List<String> keys, boolean hasError) {
    }

    /** A fetch waiting for data; completes once, by wake-up or time-out. */
    private static final class ParkedFetch {
        final RequestAuthorizer.Caller caller;
        final FetchRequestData data;
        final short version;
        final List<String> keys;
        final AtomicBoolean done = new AtomicBoolean();
        final CompletableFuture<AbstractResponse> future = new CompletableFuture<>();

        ParkedFetch(RequestAuthorizer.Caller caller, FetchRequestData data, short version, List<String> keys) {
            this.caller = caller;
            this.data = data;
            this.version = version;
            this.keys = keys;
        }
    }
}
