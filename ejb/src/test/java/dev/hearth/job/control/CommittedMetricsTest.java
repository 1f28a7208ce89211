package dev.hearth.job.control;

import dev.hearth.job.exec.TaskMetrics;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Task counters round-trip through offset metadata; a task's latest are the maximum over its inputs. */
class CommittedMetricsTest {

    private static TaskMetrics counters(long in, long out, long late) {
        return new TaskMetrics(in, out, late, Long.MIN_VALUE);
    }

    @Test
    void countersOfEveryReadingStageRoundTrip() {
        Map<Integer, TaskMetrics> byStage = new LinkedHashMap<>();
        byStage.put(0, counters(10, 7, 1));
        byStage.put(2, counters(5, 0, 3));
        String metadata = CommittedMetrics.encode(byStage);

        assertEquals(counters(10, 7, 1), CommittedMetrics.of(0, List.of(metadata)), "stage 0's counters");
        assertEquals(counters(5, 0, 3), CommittedMetrics.of(2, List.of(metadata)), "stage 2's counters");
        assertEquals(counters(0, 0, 0), CommittedMetrics.of(1, List.of(metadata)), "a stage not in it starts at 0");
    }

    @Test
    void theLatestCommitOfATaskWinsOverOlderOnesOnItsOtherInputs() {
        String older = CommittedMetrics.encode(Map.of(1, counters(4, 2, 0)));   // input a, committed earlier
        String newer = CommittedMetrics.encode(Map.of(1, counters(9, 3, 2)));   // input b, committed last
        assertEquals(counters(9, 3, 2), CommittedMetrics.of(1, List.of(older, newer)));
        assertEquals(counters(9, 3, 2), CommittedMetrics.of(1, List.of(newer, older)), "order does not matter");
    }

    @Test
    void foreignOrEmptyMetadataCountsAsZero() {
        assertEquals(counters(0, 0, 0), CommittedMetrics.of(0,
                java.util.Arrays.asList("", null, "x", "hearth.metrics.v1 0:a:b:c")));
    }
}
