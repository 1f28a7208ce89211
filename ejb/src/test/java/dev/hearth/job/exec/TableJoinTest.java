package dev.hearth.job.exec;

import dev.hearth.job.api.JobBuilder;
import dev.hearth.job.api.Serdes;
import dev.hearth.job.api.Stream;
import dev.hearth.job.api.Table;
import dev.hearth.job.plan.Planner;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Stream–table joins see every table update the task processed before the stream record. */
class TableJoinTest {

    @Test
    void streamRecordsAreEnrichedWithTheTableValueCurrentAtTheirTime() {
        JobBuilder job = new JobBuilder("enrich");
        Table<String, String> users = job.table("users", Serdes.string(), Serdes.string());
        job.from("clicks", Serdes.string(), Serdes.string())
                .join(users, (page, name) -> page + "@" + name)
                .to("enriched", Serdes.string(), Serdes.string());
        LocalJobRunner runner = new LocalJobRunner(Planner.build(job), Map.of("users", 2, "clicks", 2));
        runner.produce("users", Serdes.string(), "u1", Serdes.string(), "Ada", 1);
        runner.produce("users", Serdes.string(), "u2", Serdes.string(), "Bob", 2);
        runner.produce("clicks", Serdes.string(), "u1", Serdes.string(), "/home", 10);
        runner.produce("clicks", Serdes.string(), "u3", Serdes.string(), "/nobody", 11); // no user: dropped
        runner.produce("users", Serdes.string(), "u1", Serdes.string(), "Ada L.", 20);
        runner.produce("users", Serdes.string(), "u2", Serdes.string(), null, 21);        // u2 deleted
        runner.produce("clicks", Serdes.string(), "u1", Serdes.string(), "/cart", 30);
        runner.produce("clicks", Serdes.string(), "u2", Serdes.string(), "/gone", 31);

        runner.runToEnd(LocalJobRunner.Interleaving.SEQUENTIAL); // each task reads its inputs in timestamp order

        assertEquals(List.of("/cart@Ada L.", "/home@Ada"), sorted(runner, "enriched"),
                "the update at 20 is visible to the click at 30, not to the click at 10; deleted users join nothing");
    }

    @Test
    void reKeyedStreamIsRepartitionedToTheTableAndJoined() {
        JobBuilder job = new JobBuilder("enrich");
        Table<String, String> users = job.table("users", Serdes.string(), Serdes.string());
        job.from("clicks", Serdes.string(), Serdes.string())          // keyed by click id, value = user id
                .keyBy((clickId, userId) -> userId, Serdes.string())
                .join(users, (userId, name) -> name)
                .to("enriched", Serdes.string(), Serdes.string());
        LocalJobRunner runner = new LocalJobRunner(Planner.build(job), Map.of("users", 3, "clicks", 2));
        for (int u = 0; u < 10; u++) {
            runner.produce("users", Serdes.string(), "u" + u, Serdes.string(), "name" + u, 1);
        }
        runner.runUntilIdle(LocalJobRunner.Interleaving.SEQUENTIAL); // the table is loaded before the clicks
        for (int c = 0; c < 20; c++) {
            runner.produce("clicks", c % 2, Serdes.string(), "c" + c, Serdes.string(), "u" + (c % 10), 100 + c);
        }
        runner.runToEnd(LocalJobRunner.Interleaving.random(3));

        TreeSet<String> expected = new TreeSet<>();
        for (int c = 0; c < 20; c++) {
            expected.add("u" + (c % 10) + "=name" + (c % 10));
        }
        assertEquals(expected, new TreeSet<>(runner.read("enriched").stream()
                .map(r -> Serdes.string().deserialize(r.key()) + "=" + Serdes.string().deserialize(r.value()))
                .toList()));
        assertEquals(20, runner.read("enriched").size(), "every click found its user after the repartition");
    }

    /**
     * Issue 16: one stream joined with one table twice, once on its own key and once re-keyed. Clicks are keyed by
     * user id, valued by a referrer's user id; the expected output is computed independently from the inputs.
     */
    @Test
    void sameStreamJoinedWithOneTableAsIsAndReKeyedGivesBothJoins() {
        JobBuilder job = new JobBuilder("enrich");
        Table<String, String> users = job.table("users", Serdes.string(), Serdes.string());
        Stream<String, String> clicks = job.from("clicks", Serdes.string(), Serdes.string());
        clicks.join(users, (referrer, name) -> "user " + name)
                .to("out", Serdes.string(), Serdes.string());
        clicks.keyBy((user, referrer) -> referrer, Serdes.string())
                .join(users, (referrer, name) -> "referrer " + name)
                .to("out", Serdes.string(), Serdes.string());
        LocalJobRunner runner = new LocalJobRunner(Planner.build(job), Map.of("users", 3, "clicks", 3));
        Map<String, String> names = new TreeMap<>();
        for (int u = 0; u < 8; u++) { // u8 and u9 have no table entry: their joins drop the click
            names.put("u" + u, "name" + u);
            runner.produce("users", Serdes.string(), "u" + u, Serdes.string(), "name" + u, 1);
        }
        runner.runUntilIdle(LocalJobRunner.Interleaving.SEQUENTIAL); // both table copies are loaded first
        List<String> expected = new ArrayList<>();
        for (int c = 0; c < 30; c++) {
            String user = "u" + (c % 10);
            String referrer = "u" + ((c * 7 + 3) % 10);
            runner.produce("clicks", Serdes.string(), user, Serdes.string(), referrer, 100 + c);
            if (names.containsKey(user)) {
                expected.add(user + "=user " + names.get(user));
            }
            if (names.containsKey(referrer)) {
                expected.add(referrer + "=referrer " + names.get(referrer));
            }
        }
        runner.runToEnd(LocalJobRunner.Interleaving.random(5));

        List<String> actual = new ArrayList<>(runner.read("out").stream()
                .map(r -> Serdes.string().deserialize(r.key()) + "=" + Serdes.string().deserialize(r.value()))
                .toList());
        Collections.sort(expected);
        Collections.sort(actual);
        assertEquals(expected, actual, "every click joined once as-is and once by referrer, exactly");
    }

    private static List<String> sorted(LocalJobRunner runner, String topic) {
        return runner.read(topic).stream().map(r -> Serdes.string().deserialize(r.value())).sorted().toList();
    }
}
