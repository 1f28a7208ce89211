package dev.hearth.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.apache.kafka.common.protocol.ApiKeys;
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
}
