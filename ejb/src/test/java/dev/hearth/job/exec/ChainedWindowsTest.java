package dev.hearth.job.exec;

import dev.hearth.job.api.JobBuilder;
import dev.hearth.job.api.Serde;
import dev.hearth.job.api.Serdes;
import dev.hearth.job.api.Windowed;
import dev.hearth.job.api.Windows;
import dev.hearth.job.plan.JobDefinition;
import dev.hearth.job.plan.Planner;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A window fed by another window (counts per user per 10 s, then the number of active users per 10 s) inherits
 * the upstream watermark: its window closes only once every upstream result that falls into it was emitted, without
 * the user repeating the upstream {@code outOfOrderness} on it. A window result carries the event time
 * {@code end - 1}, so it lands in the downstream window that contains its own.
 */
class ChainedWindowsTest {
    private static final long WINDOW_MS = 10_000;
    private static final Serde<Windowed<String>> WINDOWED = Serdes.windowed(Serdes.string());

    private static JobDefinition activeUsersJob() {
        JobBuilder job = new JobBuilder("active");
        job.watermarkBroadcastInterval(Duration.ofSeconds(1));
        job.from("events", Serdes.string(), Serdes.string())
                .keyBy((eventId, user) -> user, Serdes.string())
                .groupByKey()
                .windowedBy(Windows.tumbling(Duration.ofMillis(WINDOW_MS)).outOfOrderness(Duration.ofSeconds(5)))
                .count()
                .keyBy((window, count) -> Long.toString(window.startMs()), Serdes.string())
                .groupByKey()
                .windowedBy(Windows.tumbling(Duration.ofMillis(WINDOW_MS))) // no outOfOrderness repeated here
                .count()
                .to("active-users", WINDOWED, Serdes.longs());
        return Planner.build(job);
    }

    @Test
    void aWindowFedByAWindowClosesOnTheInheritedWatermarkAndDropsNothing() {
        LocalJobRunner runner = new LocalJobRunner(activeUsersJob(), Map.of("events", 2));
        Random random = new Random(3);
        Map<Long, java.util.Set<String>> usersPerWindow = new HashMap<>();
        for (int partition = 0; partition < 2; partition++) {
            for (int i = 0; i < 400; i++) {
                long eventTimeMs = i * 150L - random.nextInt(4_000);
                String user = "user-" + random.nextInt(9);
                runner.produce("events", partition, Serdes.string().serialize("e" + partition + "-" + i),
                        Serdes.string().serialize(user), eventTimeMs);
                usersPerWindow.computeIfAbsent(Math.floorDiv(eventTimeMs, WINDOW_MS) * WINDOW_MS,
                        start -> new java.util.HashSet<>()).add(user);
            }
        }

        runner.runUntilIdle(LocalJobRunner.Interleaving.SEQUENTIAL);
        runner.punctuateAll();
        runner.runUntilIdle(LocalJobRunner.Interleaving.SEQUENTIAL);
        assertFalse(runner.read("active-users").isEmpty(),
                "downstream windows close on the inherited watermark, before the end of input");
        runner.runToEnd(LocalJobRunner.Interleaving.SEQUENTIAL);

        assertEquals(List.of(), runner.read("active-late"), "no upstream window result is late downstream");
        assertEquals(0, runner.lateRecords(), "the late-record counter");
        Map<Long, Long> expected = new HashMap<>();
        usersPerWindow.forEach((startMs, users) -> expected.put(startMs, (long) users.size()));
        Map<Long, Long> actual = new HashMap<>();
        for (LocalJobRunner.StoredRecord record : runner.read("active-users")) {
            Windowed<String> window = WINDOWED.deserialize(record.key());
            assertEquals(window.endMs() - 1, record.timestampMs(), "a window result carries its end - 1");
            Long previous = actual.put(window.startMs(), Serdes.longs().deserialize(record.value()));
            assertEquals(null, previous, "window " + window + " emitted once");
        }
        assertEquals(expected, actual, "every downstream window counts every active user of its upstream window");
    }
}
