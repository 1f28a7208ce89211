package dev.hearth.job.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import dev.hearth.job.api.JobBuilder;
import dev.hearth.job.api.KeyValue;
import dev.hearth.job.api.Serdes;
import dev.hearth.job.api.Stream;

/** Which new versions of a job may take over the state an earlier version left. */
class StateLayoutTest {

    private static StateLayout layout(Function<Stream<String, String>, Stream<String, String>> rest) {
        JobBuilder builder = new JobBuilder("clicks");
        rest.apply(builder.from("clicks", Serdes.string(), Serdes.string()))
                .to("out", Serdes.string(), Serdes.string());
        return Planner.build(builder).stateLayout();
    }

    private static Stream<String, String> countPerPage(Stream<String, String> clicks) {
        return clicks.keyBy((key, page) -> page, Serdes.string()).groupByKey().count()
                .map((page, count) -> KeyValue.of(page, Long.toString(count)));
    }

    @Test
    void otherFunctionsInTheSameStepsKeepTheLayout() {
        StateLayout first = layout(StateLayoutTest::countPerPage);
        StateLayout second = layout(clicks -> clicks.keyBy((key, page) -> page.toLowerCase(), Serdes.string())
                .groupByKey().count().map((page, count) -> KeyValue.of(page, "count=" + count)));

        assertEquals(Optional.empty(), second.incompatibilityWith(first), "same stores and repartitions: " + first);
        assertEquals(first, StateLayout.parse(first.text()), "the stored text form reads back as the same layout");
    }

    @Test
    void aStepInsertedBeforeAGroupingRenamesItsStore() {
        // Stores are named by their position in the graph, as Kafka Streams names them: the filter renames the count's.
        StateLayout first = layout(StateLayoutTest::countPerPage);
        StateLayout second = layout(clicks -> countPerPage(clicks.filter((key, page) -> !page.isEmpty())));

        assertTrue(second.incompatibilityWith(first).isPresent(), "the count's changelog is another topic now");
    }

    @Test
    void anAddedGroupingChangesTheLayoutAndSaysWhat() {
        StateLayout first = layout(StateLayoutTest::countPerPage);
        StateLayout second = layout(clicks -> countPerPage(clicks).keyBy((page, count) -> "all", Serdes.string())
                .groupByKey(Serdes.string(), Serdes.string()).count().mapValues(count -> Long.toString(count)));

        String reason = second.incompatibilityWith(first).orElseThrow();
        assertTrue(reason.contains("now has") && reason.contains("clicks-2-repartition"),
                "the reason names the new internal topics: " + reason);
    }

    @Test
    void aJobWithoutStateHasAnEmptyLayoutThatFitsItself() {
        StateLayout stateless = layout(clicks -> clicks.mapValues(String::toUpperCase));

        assertEquals(List.of(), stateless.lines());
        assertEquals(Optional.empty(), stateless.incompatibilityWith(StateLayout.parse("")));
    }
}
