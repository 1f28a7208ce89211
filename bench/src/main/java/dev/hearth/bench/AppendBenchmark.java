package dev.hearth.bench;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import dev.hearth.engine.EngineConfig;
import dev.hearth.engine.FlushPolicy;
import dev.hearth.engine.TopicConfig;
import dev.hearth.engine.log.LogEngine;

/**
 * {@link LogEngine#append} of prebuilt batches of {@code batchSize} 100-byte records to one partition, under
 * the {@code flush} mode's policy. Score: records/s (each invocation appends
 * {@value BatchProducer#RECORDS_PER_INVOCATION} records).
 *
 * <p>The baseline is {@link RawFileChannelBenchmark}: the same bytes, batch sizes and flush modes written
 * straight to a {@code FileChannel}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AppendBenchmark {

    static final String TOPIC = "bench";

    /**
     * One engine with one single-partition topic in a fresh data directory per trial, deleted afterwards.
     *
     * <p>Thread-safety: shared by all benchmark threads, as {@link LogEngine} allows.
     */
    @State(Scope.Benchmark)
    public static class Log {

        @Param({"per-batch", "periodic"})
        public String flush;

        private ScratchDirectory dataDir;
        private BackgroundFlusher flusher = BackgroundFlusher.NONE;
        LogEngine engine;

        @Setup(Level.Trial)
        public void open() throws Exception {
            FlushMode mode = FlushMode.parse(flush);
            dataDir = ScratchDirectory.create("hearth-append-");
            engine = LogEngine.open(engineConfig(dataDir.path(), mode.policy()));
            engine.createTopic(TOPIC, 1, Map.of());
            flusher = mode.startBackgroundFlush("hearth-bench-flush", engine::flush);
        }

        @TearDown(Level.Trial)
        public void close() throws Exception {
            // Resources close in reverse order, each even if another fails: stop flushing, close, delete.
            try (ScratchDirectory dir = dataDir; LogEngine open = engine; BackgroundFlusher running = flusher) {
                flusher = BackgroundFlusher.NONE;
            }
        }
    }

    /** Engine defaults (1 GiB segments) with the given flush policy and retention off. */
    static EngineConfig engineConfig(Path dataDir, FlushPolicy policy) {
        TopicConfig topicDefaults = TopicConfig.DEFAULTS.with(Map.of(TopicConfig.RETENTION_MS, "-1"));
        return EngineConfig.defaults(dataDir).withFlushPolicy(policy).withTopicDefaults(topicDefaults);
    }

    @Benchmark
    @OperationsPerInvocation(BatchProducer.RECORDS_PER_INVOCATION)
    public long append(Log log, BatchProducer producer) {
        long lastOffset = -1;
        for (int i = 0; i < producer.batchesPerInvocation; i++) {
            lastOffset = log.engine.append(TOPIC, 0, producer.batch().refill()).lastOffset();
        }
        return lastOffset;
    }
}
