package dev.hearth.activity.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ActivityHistoryTest {

    @Test
    void theFirstObservationIsOnlyABaselineAndRatesComeFromTheGrowthOfEndOffsets() {
        ActivityHistory history = new ActivityHistory(10);
        history.observe(1_000, Map.of("a/0", 10L), 0);
        assertEquals(List.of(), history.samples(), "one observation gives no rate yet");
        history.observe(3_000, Map.of("a/0", 30L, "b/0", 4L), 7);
        assertEquals(List.of(new ActivityHistory.Sample(3_000, 12.0, 7)), history.samples(),
                "20 appended to a/0 and 4 to the new b/0 in 2 s is 12 records/s");
        history.observe(4_000, Map.of("b/0", 4L), 5);
        assertEquals(0.0, history.samples().get(1).recordsPerSecond(), "a deleted partition does not count as negative");
    }

    @Test
    void keepsTheNewestSamplesUpToItsCapacityOldestFirst() {
        ActivityHistory history = new ActivityHistory(3);
        for (int second = 0; second <= 5; second++) {
            history.observe(second * 1_000L, Map.of("a/0", second * 10L), second);
        }
        assertEquals(List.of(3L, 4L, 5L), history.samples().stream().map(ActivityHistory.Sample::totalLag).toList(),
                "the three newest of five samples, oldest first");
    }

    @Test
    void aCapacityMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new ActivityHistory(0), "an empty ring could hold nothing");
    }
}
