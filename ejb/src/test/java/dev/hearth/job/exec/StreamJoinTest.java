package dev.hearth.job.exec;

import dev.hearth.job.api.JobBuilder;
import dev.hearth.job.api.JoinWindows;
import dev.hearth.job.api.Serdes;
import dev.hearth.job.api.Stream;
import dev.hearth.job.plan.JobDefinition;
import dev.hearth.job.plan.Planner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Windowed stream–stream joins: every pair of records within the window is emitted exactly once, whatever the
 * arrival order between the two topics and the interleaving of tasks, through repartitions and crashes; late records
 * go to the side output; expired records leave the store.
 */
class StreamJoinTest {
    private static final long BEFORE_MS = 2_000;      // a payment may precede its order by 2 s
    private static final long AFTER_MS = 5_000;       // and follow it by 5 s
    private static final long OUT_OF_ORDERNESS_MS = 3_000;
    private static final int RECORDS_PER_PARTITION = 250;

    /** Orders joined with payments on the order id; payments re-keyed from payment id to order id if asked. */
    static JobDefinition ordersWithPayments(boolean reKeyPayments, Duration broadcastInterval) {
        JobBuilder job = new JobBuilder("shop");
        job.watermarkBroadcastInterval(broadcastInterval);
        Stream<String, String> orders = job.from("orders", Serdes.string(), Serdes.string());
        Stream<String, String> payments = job.from("payments", Serdes.string(), Serdes.string());
        if (reKeyPayments) { // keyed by payment id, value "<orderId>:<amount>"
            payments = payments.keyBy((paymentId, value) -> value.substring(0, value.indexOf(':')), Serdes.string());
        }
        orders.join(payments, JoinWindows.of(Duration.ofMillis(AFTER_MS)).before(Duration.ofMillis(BEFORE_MS))
                                .outOfOrderness(Duration.ofMillis(OUT_OF_ORDERNESS_MS)),
                        (order, payment) -> order + "+" + payment)
                .to("paid", Serdes.string(), Serdes.string());
        return Planner.build(job);
    }

    /** One produced record, remembered for the brute-force expectation. */
    private record Produced(String key, String value, long eventTimeMs) {
    }

    /**
     * Produces orders and payments over a few keys, each partition's event times at most 2.5 s behind its maximum
     * (within the out-of-orderness, so nothing is late) and partitions skewed against each other.
     *
     * @return the expected join output, as {@link #describe} strings, sorted
     */
    static List<String> produceOrdersAndPayments(LocalJobRunner runner, int partitions, boolean reKeyed, long seed) {
        Random random = new Random(seed);
        List<List<String>> keys = keysByPartition(partitions, 6);
        List<Produced> orders = new ArrayList<>();
        List<Produced> payments = new ArrayList<>();
        for (int partition = 0; partition < partitions; partition++) {
            for (int i = 0; i < RECORDS_PER_PARTITION; i++) {
                long baseMs = 10_000 + partition * 1_500L + i * 100L;
                String orderKey = keys.get(partition).get(random.nextInt(keys.get(partition).size()));
                Produced order = new Produced(orderKey, "order" + partition + "-" + i, baseMs - random.nextInt(2_500));
                orders.add(order);
                runner.produce("orders", partition, Serdes.string(), order.key(), Serdes.string(), order.value(),
                        order.eventTimeMs());
                String payKey = keys.get(partition).get(random.nextInt(keys.get(partition).size()));
                long payTimeMs = baseMs - random.nextInt(2_500);
                String payValue = payKey + ":" + i;
                payments.add(new Produced(payKey, payValue, payTimeMs));
                if (reKeyed) { // keyed by payment id, but on the partition the order id will be moved to
                    runner.produce("payments", partition, Serdes.string(), "p" + partition + "-" + i,
                            Serdes.string(), payValue, payTimeMs);
                } else {
                    runner.produce("payments", partition, Serdes.string(), payKey, Serdes.string(), payValue,
                            payTimeMs);
                }
            }
        }
        List<String> expected = new ArrayList<>();
        for (Produced order : orders) {
            for (Produced payment : payments) {
                if (order.key().equals(payment.key())
                        && payment.eventTimeMs() >= order.eventTimeMs() - BEFORE_MS
                        && payment.eventTimeMs() <= order.eventTimeMs() + AFTER_MS) {
                    expected.add(order.key() + "=" + order.value() + "+" + payment.value() + "@"
                            + Math.max(order.eventTimeMs(), payment.eventTimeMs()));
                }
            }
        }
        expected.sort(null);
        return expected;
    }

    /** Order ids that {@link LocalJobRunner}'s partitioner puts on each partition, {@code perPartition} each. */
    private static List<List<String>> keysByPartition(int partitions, int perPartition) {
        List<List<String>> keys = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            keys.add(new ArrayList<>());
        }
        for (int n = 0; keys.stream().anyMatch(k -> k.size() < perPartition); n++) {
            String key = "o" + n;
            List<String> of = keys.get((Arrays.hashCode(Serdes.string().serialize(key)) & 0x7fffffff) % partitions);
            if (of.size() < perPartition) {
                of.add(key);
            }
        }
        return keys;
    }

    static List<String> describe(List<LocalJobRunner.StoredRecord> records) {
        List<String> described = new ArrayList<>();
        for (LocalJobRunner.StoredRecord record : records) {
            described.add(Serdes.string().deserialize(record.key()) + "=" + Serdes.string().deserialize(record.value())
                    + "@" + record.timestampMs());
        }
        described.sort(null);
        return described;
    }

    static java.util.stream.Stream<Arguments> partitionsAndInterleavings() {
        List<Arguments> cases = new ArrayList<>();
        for (int partitions : new int[] {1, 2, 4}) {
            for (boolean reKeyed : new boolean[] {false, true}) {
                cases.add(Arguments.of(partitions, reKeyed, LocalJobRunner.Interleaving.SEQUENTIAL));
                cases.add(Arguments.of(partitions, reKeyed, LocalJobRunner.Interleaving.REVERSE));
                for (long seed = 1; seed <= 4; seed++) {
                    cases.add(Arguments.of(partitions, reKeyed, LocalJobRunner.Interleaving.random(seed)));
                }
            }
        }
        return cases.stream();
    }

    @Test
    void pairsWithinTheWindowJoinAndOthersDoNot() {
        JobBuilder job = new JobBuilder("w");
        Stream<String, String> left = job.from("left", Serdes.string(), Serdes.string());
        left.join(job.from("right", Serdes.string(), Serdes.string()),
                        JoinWindows.of(Duration.ZERO).before(Duration.ofSeconds(2)).after(Duration.ofSeconds(5)),
                        (l, r) -> l + "+" + r)
                .to("out", Serdes.string(), Serdes.string());
        LocalJobRunner runner = new LocalJobRunner(Planner.build(job), Map.of("left", 1, "right", 1));
        runner.produce("left", 0, Serdes.string(), "k", Serdes.string(), "L10", 10_000);
        runner.produce("left", 0, Serdes.string(), "other", Serdes.string(), "O10", 10_000);
        runner.produce("right", 0, Serdes.string(), "k", Serdes.string(), "R7999", 7_999);   // 2 001 before: no
        runner.produce("right", 0, Serdes.string(), "k", Serdes.string(), "R8000", 8_000);   // 2 000 before: yes
        runner.produce("right", 0, Serdes.string(), "k", Serdes.string(), "R15000", 15_000); // 5 000 after: yes
        runner.produce("right", 0, Serdes.string(), "k", Serdes.string(), "R15001", 15_001); // 5 001 after: no
        runner.produce("right", 0, Serdes.string(), "other", Serdes.string(), "Q20000", 20_000); // too far
        runner.produce("right", 0, Serdes.string(), "nobody", Serdes.string(), "N10000", 10_000); // no key match

        runner.runToEnd(LocalJobRunner.Interleaving.SEQUENTIAL);

        assertEquals(List.of("k=L10+R15000@15000", "k=L10+R8000@10000"), describe(runner.read("out")),
                "bounds are inclusive, the window is asymmetric, the output time is the later of the two");
        assertEquals(0, runner.lateRecords());
    }

    @ParameterizedTest(name = "{0} partitions, re-keyed {1}, {2}")
    @MethodSource("partitionsAndInterleavings")
    void everyPairIsJoinedExactlyOnceForAnyInterleaving(int partitions, boolean reKeyed,
                                                        LocalJobRunner.Interleaving interleaving) {
        LocalJobRunner runner = new LocalJobRunner(ordersWithPayments(reKeyed, Duration.ofMillis(500)),
                Map.of("orders", partitions, "payments", partitions, "paid", 1));
        List<String> expected = produceOrdersAndPayments(runner, partitions, reKeyed, 100 + partitions);

        runner.runToEnd(interleaving);

        assertEquals(0, runner.lateRecords(), "records within the out-of-orderness are never late");
        assertEquals(List.of(), runner.read("shop-late"), "late side output stays empty");
        assertTrue(expected.size() > RECORDS_PER_PARTITION * partitions / 2, "the data has matches: " + expected.size());
        assertEquals(expected, describe(runner.read("paid")), "each pair within the window once, none outside");
    }

    @ParameterizedTest(name = "re-keyed {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void restoringFromTheChangelogsMidStreamGivesTheSameOutput(boolean reKeyed) {
        LocalJobRunner runner = new LocalJobRunner(ordersWithPayments(reKeyed, Duration.ofMillis(300)),
                Map.of("orders", 3, "payments", 3, "paid", 1));
        List<String> expected = produceOrdersAndPayments(runner, 3, reKeyed, 7);
        LocalJobRunner.Interleaving interleaving = LocalJobRunner.Interleaving.random(23);
        int crashes = 0;
        while (runner.runUntilIdle(interleaving, 89) > 0) {
            runner.restartTasks();
            crashes++;
        }
        runner.restartTasks();
        runner.runToEnd(interleaving);

        assertTrue(crashes > 10, "crashed " + crashes + " times");
        assertEquals(0, runner.lateRecords(), "restored watermarks neither regress nor run ahead");
        assertEquals(expected, describe(runner.read("paid")),
                "both join stores are rebuilt: same pairs, each once, as without crashes");
    }

    @Test
    void recordBehindItsClosedJoinWindowGoesToTheSideOutputAndJoinsNothing() {
        JobBuilder job = new JobBuilder("late");
        job.from("left", Serdes.string(), Serdes.string())
                .join(job.from("right", Serdes.string(), Serdes.string()), JoinWindows.of(Duration.ofSeconds(2)),
                        (l, r) -> l + "+" + r)
                .to("out", Serdes.string(), Serdes.string());
        LocalJobRunner runner = new LocalJobRunner(Planner.build(job), Map.of("left", 1, "right", 1));
        runner.produce("left", 0, Serdes.string(), "k", Serdes.string(), "x", 10_000);
        runner.produce("right", 0, Serdes.string(), "k", Serdes.string(), "y", 10_000);
        runner.runUntilIdle(LocalJobRunner.Interleaving.SEQUENTIAL);                     // watermark: 10 000
        runner.produce("left", 0, Serdes.string(), "k", Serdes.string(), "late", 7_999); // window ends 9 999 < 10 000
        runner.produce("right", 0, Serdes.string(), "k", Serdes.string(), "ok", 8_000);  // window ends 10 000: open
        runner.runToEnd(LocalJobRunner.Interleaving.SEQUENTIAL);

        assertEquals(List.of("k=x+ok@10000", "k=x+y@10000"), describe(runner.read("out")),
                "the late record joins nothing, the record whose window is still open joins");
        List<LocalJobRunner.StoredRecord> late = runner.read("late-late");
        assertEquals(1, late.size(), "exactly the record behind its closed window is late");
        assertArrayEquals(Serdes.string().serialize("late"), late.get(0).value(), "original value bytes");
        assertEquals("window-closed", late.get(0).header(TaskContext.LATE_REASON_HEADER));
        assertEquals("10000", late.get(0).header(TaskContext.LATE_WATERMARK_HEADER));
        assertEquals("join-left-2", late.get(0).header(TaskContext.LATE_OPERATOR_HEADER));
        assertEquals(1, runner.lateRecords(), "the late-record counter");
    }

    @Test
    void allowedLatenessKeepsAJoinWindowOpenAndANamedSideOutputIsUsed() {
        JobBuilder job = new JobBuilder("late");
        job.from("left", Serdes.string(), Serdes.string())
                .join(job.from("right", Serdes.string(), Serdes.string()),
                        JoinWindows.of(Duration.ofSeconds(2)).allowedLateness(Duration.ofSeconds(3))
                                .lateRecordsTo("stragglers"),
                        (l, r) -> l + "+" + r)
                .to("out", Serdes.string(), Serdes.string());
        LocalJobRunner runner = new LocalJobRunner(Planner.build(job), Map.of("left", 1, "right", 1));
        runner.produce("left", 0, Serdes.string(), "k", Serdes.string(), "a", 4_000);
        runner.produce("left", 0, Serdes.string(), "k", Serdes.string(), "x", 10_000);
        runner.produce("right", 0, Serdes.string(), "k", Serdes.string(), "y", 10_000);  // watermark: 10 000
        runner.produce("right", 0, Serdes.string(), "k", Serdes.string(), "r", 5_500);   // 5 500+2 000+3 000 >= 10 000
        runner.produce("right", 0, Serdes.string(), "k", Serdes.string(), "r2", 4_999);  // 9 999 < 10 000: late

        runner.runToEnd(LocalJobRunner.Interleaving.SEQUENTIAL);

        assertEquals(List.of("k=a+r@5500", "k=x+y@10000"), describe(runner.read("out")),
                "a (4 000) is kept until the watermark passes 4 000 + 4 000 + 3 000, so r still finds it");
        assertEquals(List.of("r2"), runner.read("stragglers").stream()
                .map(r -> Serdes.string().deserialize(r.value())).toList());
        assertEquals(1, runner.lateRecords(), "only r2 is late");
    }

    @Test
    void expiredRecordsLeaveBothStoresAndTheirChangelogs() {
        JobBuilder job = new JobBuilder("purge");
        job.from("left", Serdes.string(), Serdes.string())
                .join(job.from("right", Serdes.string(), Serdes.string()), JoinWindows.of(Duration.ofSeconds(1)),
                        (l, r) -> l + "+" + r)
                .to("out", Serdes.string(), Serdes.string());
        JobDefinition definition = Planner.build(job);
        LocalJobRunner runner = new LocalJobRunner(definition, Map.of("left", 1, "right", 1));
        for (int i = 0; i < 100; i++) { // one record a second on each side, keys cycling over 5
            runner.produce("left", 0, Serdes.string(), "k" + i % 5, Serdes.string(), "l" + i, i * 1_000L);
            runner.produce("right", 0, Serdes.string(), "k" + i % 5, Serdes.string(), "r" + i, i * 1_000L + 500);
        }

        runner.runUntilIdle(LocalJobRunner.Interleaving.SEQUENTIAL);

        long watermarkMs = runner.metrics().get(0).watermarkMs();
        assertEquals(99_000, watermarkMs, "min over both inputs of the max event time");
        // kept: t + 1 000 + 1 000 >= 99 000: left 97 000, 98 000, 99 000; right 97 500, 98 500, 99 500
        assertEquals(3, liveEntries(runner, "purge-join-left-2-changelog"), "left store after expiry");
        assertEquals(3, liveEntries(runner, "purge-join-right-2-changelog"), "right store after expiry");
        runner.restartTasks();
        runner.runToEnd(LocalJobRunner.Interleaving.SEQUENTIAL);
        assertEquals(0, liveEntries(runner, "purge-join-left-2-changelog") + liveEntries(runner,
                "purge-join-right-2-changelog"), "the end of input expires everything");
        assertEquals(100, runner.read("out").size(), "l(i) joins r(i) only (r(i - 1) has another key), expiry"
                + " and the restart lost no pair");
    }

    /** Entries a compacted changelog would keep: the last value per key, tombstones dropped. */
    private static int liveEntries(LocalJobRunner runner, String changelog) {
        Map<ByteBuffer, Boolean> live = new HashMap<>();
        for (LocalJobRunner.StoredRecord record : runner.read(changelog)) {
            live.put(ByteBuffer.wrap(record.key()), record.value() != null);
        }
        return (int) live.values().stream().filter(Boolean::booleanValue).count();
    }

    @Test
    void aStreamJoinedWithItselfPairsEveryRecordWithItsNeighboursAndItself() {
        JobBuilder job = new JobBuilder("self");
        Stream<String, String> events = job.from("events", Serdes.string(), Serdes.string());
        events.join(events, JoinWindows.of(Duration.ofSeconds(1)), (a, b) -> a + "+" + b)
                .to("out", Serdes.string(), Serdes.string());
        LocalJobRunner runner = new LocalJobRunner(Planner.build(job), Map.of("events", 1));
        runner.produce("events", 0, Serdes.string(), "k", Serdes.string(), "a", 1_000);
        runner.produce("events", 0, Serdes.string(), "k", Serdes.string(), "b", 1_500);
        runner.produce("events", 0, Serdes.string(), "k", Serdes.string(), "c", 5_000);

        runner.runToEnd(LocalJobRunner.Interleaving.SEQUENTIAL);

        assertEquals(List.of("k=a+a@1000", "k=a+b@1500", "k=b+a@1500", "k=b+b@1500", "k=c+c@5000"),
                describe(runner.read("out")), "each side of the self-join sees every record once");
        assertEquals(0, runner.lateRecords());
    }

    /**
     * Issue 16: a stream joined with its own re-keyed self once made a stage read its own repartition topic; both
     * sides now reach the join through repartition topics. Records are (user, friend); a user's record joins every
     * record naming that user as friend within 5 s. Expected pairs by brute force.
     */
    @Test
    void aStreamJoinedWithItsOwnReKeyedSelfJoinsExactly() {
        JobBuilder job = new JobBuilder("friends");
        Stream<String, String> follows = job.from("follows", Serdes.string(), Serdes.string()); // user -> friend
        follows.join(follows.keyBy((user, friend) -> friend, Serdes.string()),
                        JoinWindows.of(Duration.ofSeconds(5)).outOfOrderness(Duration.ofSeconds(10)),
                        (friend, sameUser) -> friend)
                .to("mutual", Serdes.string(), Serdes.string());
        LocalJobRunner runner = new LocalJobRunner(Planner.build(job), Map.of("follows", 3));
        Random random = new Random(16);
        List<String[]> produced = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            String user = "u" + random.nextInt(6);
            String friend = "u" + random.nextInt(6);
            long timestampMs = i * 500L + random.nextInt(3_000);
            produced.add(new String[] {user, friend, Long.toString(timestampMs)});
            runner.produce("follows", Serdes.string(), user, Serdes.string(), friend, timestampMs);
        }
        runner.runToEnd(LocalJobRunner.Interleaving.random(16));

        List<String> expected = new ArrayList<>();
        for (String[] left : produced) {
            for (String[] right : produced) {
                long distanceMs = Math.abs(Long.parseLong(left[2]) - Long.parseLong(right[2]));
                if (right[1].equals(left[0]) && distanceMs <= 5_000) {
                    expected.add(left[0] + "=" + left[1]);
                }
            }
        }
        List<String> actual = new ArrayList<>(runner.read("mutual").stream()
                .map(r -> Serdes.string().deserialize(r.key()) + "=" + Serdes.string().deserialize(r.value()))
                .toList());
        Collections.sort(expected);
        Collections.sort(actual);
        assertEquals(0, runner.lateRecords(), "within the out-of-orderness nothing is late");
        assertEquals(expected, actual, "every (user, follower) pair within 5 s once");
    }
}
