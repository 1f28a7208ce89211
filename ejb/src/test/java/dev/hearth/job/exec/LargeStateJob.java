package dev.hearth.job.exec;

import dev.hearth.job.api.JobBuilder;
import dev.hearth.job.api.Serdes;
import dev.hearth.job.api.StoreKind;
import dev.hearth.job.plan.Planner;
import dev.hearth.job.plan.PhysicalPlan;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A job whose state is several times larger than the heap, for {@link LargeStateTest} to run in a JVM with a small
 * {@code -Xmx}. It drives the {@link StageTask} as the runtime does (changelog deferred to a flush per commit of
 * {@value #RECORDS_PER_COMMIT} records, then {@code committed} with the changelog offsets) rather than through
 * {@link LocalJobRunner}, which keeps every topic on the heap. Inputs are generated and outputs checked as they
 * stream, so the heap holds neither.
 * <p>
 * Pass 1 puts a ~100-byte value for each of {@code keys} keys; the task is then closed and a new one restored from
 * the checkpoint (which must need no changelog record); pass 2 updates every key with a value derived from the
 * one stored, so every output checks one value read back from disk. Prints {@code OK} and the figures, or exits 1.
 */
public final class LargeStateJob {
    private static final int RECORDS_PER_COMMIT = 10_000;
    private static final String CHANGELOG = "large-reduce-1-changelog";

    private long changelogRecords;   // offsets of the changelog partition, as a broker would assign them
    private long outputs;
    private long mismatches;
    private long stateBytes;         // serialized key and value bytes of pass 1: the state's size
    private int pass;

    public static void main(String[] args) {
        Path stateDirectory = Path.of(args[0]);
        int keys = Integer.parseInt(args[1]);
        System.exit(new LargeStateJob().run(stateDirectory, keys) ? 0 : 1);
    }

    static String value(int key, int pass) {
        StringBuilder value = new StringBuilder(100);
        value.append(pass).append('-').append(key).append('-');
        while (value.length() < 100) {
            value.append((char) ('a' + (key * 31 + value.length() * 7 + pass) % 26));
        }
        return value.toString();
    }

    /** The reducer: keeps a digest of the stored value, so each output proves the value read back. */
    static String reduce(String stored, String incoming) {
        return Integer.toHexString(stored.hashCode()) + "|" + incoming.substring(12);
    }

    private boolean run(Path stateRoot, int keys) {
        JobBuilder job = new JobBuilder("large");
        job.from("in", Serdes.string(), Serdes.string()).groupByKey().withStore(StoreKind.PERSISTENT)
                .reduce(LargeStateJob::reduce).to("out", Serdes.string(), Serdes.string());
        PhysicalPlan plan = Planner.build(job).plan();
        StateDirectory directory = new StateDirectory(stateRoot);

        StageTask task = open(plan, directory, 0);
        pass = 1;
        process(task, keys);
        task.close();

        task = open(plan, directory, changelogRecords);
        pass = 2;
        process(task, keys);
        task.close();

        long maxHeap = Runtime.getRuntime().maxMemory();
        System.out.println((mismatches == 0 && outputs == 2L * keys ? "OK" : "FAILED") + " outputs=" + outputs
                + " mismatches=" + mismatches + " stateBytes=" + stateBytes + " maxHeapBytes=" + maxHeap
                + " changelogRecords=" + changelogRecords);
        return mismatches == 0 && outputs == 2L * keys;
    }

    private StageTask open(PhysicalPlan plan, StateDirectory directory, long changelogEnd) {
        StageTask task = TaskCompiler.compile(plan, 0, 0, topic -> 1, directory);
        Map<String, Long> from = task.restoreOffsets(Map.of(CHANGELOG, 0L), Map.of(CHANGELOG, changelogEnd));
        if (from.get(CHANGELOG) != changelogEnd) {
            System.out.println("FAILED restore would read from " + from.get(CHANGELOG) + ", not the checkpointed "
                    + changelogEnd);
            System.exit(1);
        }
        task.restore(List.of());
        task.deferChangelogUntilFlush();
        task.checkpointDeltaRecords(250_000); // each checkpoint costs three fsyncs, slow on some CI disks
        return task;
    }

    private void process(StageTask task, int keys) {
        Emitter emitter = this::emitted;
        for (int key = 0; key < keys; key++) {
            byte[] keyBytes = ("key-" + key).getBytes(StandardCharsets.UTF_8);
            byte[] valueBytes = value(key, pass).getBytes(StandardCharsets.UTF_8);
            if (pass == 1) {
                stateBytes += keyBytes.length + valueBytes.length;
            }
            task.process(new InputRecord("in", 0, key, key, keyBytes, valueBytes, List.of()), emitter);
            if ((key + 1) % RECORDS_PER_COMMIT == 0 || key == keys - 1) {
                task.flush(emitter);
                task.committed(Map.of(CHANGELOG, changelogRecords));
            }
        }
    }

    private void emitted(OutputRecord record) {
        if (record.topic().equals(CHANGELOG)) {
            changelogRecords++;
            return;
        }
        outputs++;
        int key = Integer.parseInt(new String(record.key(), StandardCharsets.UTF_8).substring(4));
        String expected = pass == 1 ? value(key, 1) : reduce(value(key, 1), value(key, 2));
        if (!expected.equals(new String(record.value(), StandardCharsets.UTF_8))) {
            mismatches++;
        }
    }
}
