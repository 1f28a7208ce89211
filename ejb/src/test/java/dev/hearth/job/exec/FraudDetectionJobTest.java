package dev.hearth.job.exec;

import dev.hearth.job.api.JobBuilder;
import dev.hearth.job.api.Serde;
import dev.hearth.job.api.Serdes;
import dev.hearth.job.api.Windowed;
import dev.hearth.job.api.Windows;
import dev.hearth.job.plan.JobDefinition;
import dev.hearth.job.plan.Planner;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The example job: flag an account with more than {@value #MAX_COUNT} transactions, or more than
 * {@value #MAX_TOTAL_CENTS} cents, in any 1-minute window sliding by 10 s. Transactions are keyed by transaction id
 * on three partitions, so the job re-keys by account (a repartition) before windowing.
 */
class FraudDetectionJobTest {
    static final int MAX_COUNT = 5;
    static final long MAX_TOTAL_CENTS = 100_000;
    static final long WINDOW_MS = 60_000;
    static final long ADVANCE_MS = 10_000;

    /** A transaction: account and amount. */
    record Transaction(String account, long amountCents) {
        static final Serde<Transaction> SERDE = Serde.of(
                t -> (t.account + "," + t.amountCents).getBytes(StandardCharsets.UTF_8),
                b -> {
                    String[] parts = new String(b, StandardCharsets.UTF_8).split(",");
                    return new Transaction(parts[0], Long.parseLong(parts[1]));
                });
    }

    /** Running totals of one account in one window. */
    record Totals(long count, long amountCents) {
        static final Serde<Totals> SERDE = Serde.of(
                t -> ByteBuffer.allocate(16).putLong(t.count).putLong(t.amountCents).array(),
                b -> new Totals(ByteBuffer.wrap(b).getLong(0), ByteBuffer.wrap(b).getLong(8)));

        Totals add(Transaction transaction) {
            return new Totals(count + 1, amountCents + transaction.amountCents);
        }

        boolean suspicious() {
            return count > MAX_COUNT || amountCents > MAX_TOTAL_CENTS;
        }
    }

    static JobDefinition fraudDetection() {
        JobBuilder job = new JobBuilder("fraud");
        job.from("transactions", Serdes.string(), Transaction.SERDE)
                .keyBy((id, transaction) -> transaction.account(), Serdes.string())
                .groupByKey()
                .windowedBy(Windows.hopping(Duration.ofMillis(WINDOW_MS), Duration.ofMillis(ADVANCE_MS))
                        .outOfOrderness(Duration.ofSeconds(30)))
                .aggregate(() -> new Totals(0, 0), (account, transaction, totals) -> totals.add(transaction),
                        Totals.SERDE)
                .filter((window, totals) -> totals.suspicious())
                .to("fraud-alerts", Serdes.windowed(Serdes.string()), Totals.SERDE);
        return Planner.build(job);
    }

    @Test
    void flagsExactlyTheAccountWindowsOverTheLimits() {
        LocalJobRunner runner = new LocalJobRunner(fraudDetection(), Map.of("transactions", 3));
        Random random = new Random(11);
        Map<Windowed<String>, Totals> totals = new HashMap<>();
        long maxMs = 0;
        for (int i = 0; i < 2_000; i++) {
            String account = "acct-" + random.nextInt(40);
            long amountCents = random.nextInt(10) == 0 ? 60_000 : 1 + random.nextInt(5_000);
            long baseMs = i * 300L;
            long timeMs = Math.max(0, baseMs - random.nextInt(20_000)); // within 30 s of every partition's max
            maxMs = Math.max(maxMs, timeMs);
            Transaction transaction = new Transaction(account, amountCents);
            runner.produce("transactions", i % 3, Serdes.string().serialize("tx" + i),
                    Transaction.SERDE.serialize(transaction), timeMs);
            for (long start = timeMs - Math.floorMod(timeMs, ADVANCE_MS); start > timeMs - WINDOW_MS;
                 start -= ADVANCE_MS) {
                totals.merge(new Windowed<>(account, start, start + WINDOW_MS), new Totals(1, amountCents),
                        (a, b) -> new Totals(a.count + b.count, a.amountCents + b.amountCents));
            }
        }
        Map<Windowed<String>, Totals> expected = new HashMap<>();
        totals.forEach((window, t) -> {
            if (t.suspicious()) {
                expected.put(window, t);
            }
        });

        runner.runToEnd(LocalJobRunner.Interleaving.random(5));

        Map<Windowed<String>, Totals> alerts = new HashMap<>();
        Set<Windowed<String>> seen = new HashSet<>();
        Serde<Windowed<String>> windowed = Serdes.windowed(Serdes.string());
        for (LocalJobRunner.StoredRecord record : runner.read("fraud-alerts")) {
            Windowed<String> window = windowed.deserialize(record.key());
            assertFalse(!seen.add(window), "one alert per account window: " + window);
            alerts.put(window, Totals.SERDE.deserialize(record.value()));
        }
        assertFalse(expected.isEmpty(), "the data set has suspicious windows");
        assertEquals(0, runner.lateRecords());
        assertEquals(expected, alerts, "alerts are exactly the windows over a limit, with their totals");
    }
}
