package dev.hearth.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DeleteTopicsResponse;
import org.junit.jupiter.api.Test;

class RequestLatenciesTest {

    @Test
    void requestsLandInTheFirstBucketWhoseBoundHoldsThem() {
        RequestLatencies latencies = new RequestLatencies();
        latencies.record(ApiKeys.PRODUCE, 100_000L);          // 0.1 ms: first bucket
        latencies.record(ApiKeys.PRODUCE, 500_000L);          // exactly the first bound: still first bucket
        latencies.record(ApiKeys.PRODUCE, 3_000_000L);        // 3 ms: the 5 ms bucket
        latencies.record(ApiKeys.PRODUCE, 60_000_000_000L);   // 60 s: beyond every bound
        latencies.record(ApiKeys.FETCH, 1_000_000L);

        List<RequestLatencies.ApiLatency> snapshot = latencies.snapshot();
        assertEquals(List.of("Produce", "Fetch"), snapshot.stream().map(RequestLatencies.ApiLatency::api).toList(),
                "only APIs that were called, in API key order");
        RequestLatencies.ApiLatency produce = snapshot.get(0);
        long[] expected = new long[RequestLatencies.UPPER_BOUNDS_NANOS.length + 1];
        expected[0] = 2;
        expected[3] = 1;
        expected[expected.length - 1] = 1;
        assertArrayEquals(expected, produce.bucketCounts(), "per-bucket counts of Produce");
        assertEquals(4, produce.count(), "every Produce request is counted");
        assertEquals(100_000L + 500_000L + 3_000_000L + 60_000_000_000L, produce.sumNanos(), "the latencies' sum");
    }

    @Test
    void errorCodesAreCountedPerApiAndCodeButNotNone() {
        RequestLatencies latencies = new RequestLatencies();
        DeleteTopicsResponseData data = new DeleteTopicsResponseData();
        data.responses().add(new DeleteTopicsResponseData.DeletableTopicResult().setName("a")
                .setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code()));
        data.responses().add(new DeleteTopicsResponseData.DeletableTopicResult().setName("b")
                .setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code()));
        data.responses().add(new DeleteTopicsResponseData.DeletableTopicResult().setName("c")
                .setErrorCode(Errors.NONE.code()));
        latencies.recordErrors(ApiKeys.DELETE_TOPICS, new DeleteTopicsResponse(data), null);
        latencies.recordErrors(ApiKeys.DESCRIBE_LOG_DIRS, null,
                new UnsupportedVersionException("Hearth does not implement DESCRIBE_LOG_DIRS"));
        latencies.recordErrors(ApiKeys.FETCH, null, new UnknownTopicOrPartitionException("gone"));
        latencies.recordMalformed();

        assertEquals(List.of(new RequestLatencies.ApiError("DeleteTopics", "UNKNOWN_TOPIC_OR_PARTITION", 2),
                        new RequestLatencies.ApiError("DescribeLogDirs", "UNSUPPORTED_VERSION", 1),
                        new RequestLatencies.ApiError("Fetch", "UNKNOWN_TOPIC_OR_PARTITION", 1)),
                latencies.errorsSnapshot().stream().sorted(java.util.Comparator.comparing(RequestLatencies.ApiError::api))
                        .toList(),
                "two failed topics of one DeleteTopics count 2, the successful one nothing; a handler's failure counts 1");
        assertEquals(1, latencies.malformedRequests(), "the malformed frame is counted");
    }
}
