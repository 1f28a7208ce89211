package dev.hearth.bench;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

import dev.hearth.engine.FlushPolicy;
import dev.hearth.engine.log.LogEngine;

/**
 * Sequential consumption of a pre-filled partition ({@value #PREFILL_RECORDS} records of 100 B in batches
 * of {@value #PREFILL_BATCH_RECORDS}) through {@link LogEngine#read} with {@value #MAX_BYTES}-byte fetches,
 * decoding every record and touching its value, as a consumer does. Score: records/s (each invocation
 * consumes exactly {@value #RECORDS_PER_INVOCATION} records; the reader wraps to offset 0 at the log end).
 *
 * <p>The log (about 220 MB) stays in the page cache, so this measures the engine's read path and record
 * decoding, not the disk.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ReadBenchmark {

    static final int PREFILL_RECORDS = 2_000_000;
    static final int PREFILL_BATCH_RECORDS = 1000;
    /** Bytes asked for per fetch; a fetch returns whole batches only, so a little less. */
    static final int MAX_BYTES = 1024 * 1024;
    /** A divisor of {@value #PREFILL_RECORDS}, so an invocation never straddles the wrap to offset 0. */
    static final int RECORDS_PER_INVOCATION = 100_000;

    /**
     * A filled single-partition log in a fresh data directory per trial, deleted afterwards.
     *
     * <p>Thread-safety: shared by all benchmark threads; reads take no lock in the engine.
     */
    @State(Scope.Benchmark)
    public static class FilledLog {

        private ScratchDirectory dataDir;
        LogEngine engine;
        long logEndOffset;

        @Setup(Level.Trial)
        public void fill() throws Exception {
            dataDir = ScratchDirectory.create("hearth-read-");
            engine = LogEngine.open(AppendBenchmark.engineConfig(dataDir.path(), FlushPolicy.periodic(1000)));
            engine.createTopic(AppendBenchmark.TOPIC, 1, Map.of());
            PristineBatch batch = PristineBatch.of(PREFILL_BATCH_RECORDS, BatchProducer.VALUE_BYTES);
            for (int appended = 0; appended < PREFILL_RECORDS; appended += PREFILL_BATCH_RECORDS) {
                logEndOffset = engine.append(AppendBenchmark.TOPIC, 0, batch.refill()).lastOffset() + 1;
            }
            engine.flush();
        }

        @TearDown(Level.Trial)
        public void close() throws Exception {
            // Resources close in reverse order, each even if the other fails: close the engine, delete its files.
            try (ScratchDirectory dir = dataDir; LogEngine open = engine) {
                engine = null;
            }
        }
    }

    /**
     * One consumer's position. Thread-safety: a JMH thread-scoped state, one per benchmark thread.
     */
    @State(Scope.Thread)
    public static class Consumer {
        /** Offset of the next record to consume. */
        long position;
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS_PER_INVOCATION)
    public void read(FilledLog log, Consumer consumer, Blackhole blackhole) {
        long position = consumer.position;
        long end = position + RECORDS_PER_INVOCATION;
        while (position < end) {
            long fetchedFrom = position;
            batches:
            for (RecordBatch batch : log.engine.read(AppendBenchmark.TOPIC, 0, position, MAX_BYTES).records().batches()) {
                if (batch.lastOffset() < position) {
                    continue;
                }
                for (Record record : batch) {
                    long offset = record.offset();
                    if (offset < position) {
                        // The first batch may start before the fetch offset; consumers skip those records.
                        continue;
                    }
                    if (offset >= end) {
                        break batches;
                    }
                    ByteBuffer value = record.value();
                    blackhole.consume(value.get(value.position()));
                    position = offset + 1;
                }
            }
            if (position == fetchedFrom) {
                throw new IllegalStateException("fetch at offset " + fetchedFrom + " returned no record");
            }
        }
        consumer.position = position == log.logEndOffset ? 0 : position;
    }
}
