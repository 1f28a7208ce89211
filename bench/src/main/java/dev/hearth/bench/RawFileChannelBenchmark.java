package dev.hearth.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
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

/**
 * The floor under {@link AppendBenchmark}: the same batch bytes, copied the same way, written sequentially
 * to one file with {@link FileChannel#write}; for {@code per-batch}, each batch is followed by
 * {@code force(true)} (what Kafka's {@code FileRecords.flush} does); for {@code periodic}, a background
 * thread forces the file every second. No validation, offsets, indexes or locks. Score: records/s.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RawFileChannelBenchmark {

    /**
     * One log file in a fresh directory per trial, deleted afterwards.
     *
     * <p>Thread-safety: shared by all benchmark threads; {@code FileChannel} writes at its position atomically.
     */
    @State(Scope.Benchmark)
    public static class RawLog {

        @Param({"per-batch", "periodic"})
        public String flush;

        private ScratchDirectory dataDir;
        private BackgroundFlusher flusher = BackgroundFlusher.NONE;
        FileChannel channel;
        boolean forceEveryBatch;

        @Setup(Level.Trial)
        public void open() throws IOException {
            FlushMode mode = FlushMode.parse(flush);
            forceEveryBatch = mode.forcesEveryBatch();
            dataDir = ScratchDirectory.create("hearth-raw-");
            channel = FileChannel.open(dataDir.path().resolve("00000000000000000000.log"),
                    StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            FileChannel forced = channel;
            flusher = mode.startBackgroundFlush("hearth-bench-force", () -> forced.force(true));
        }

        @TearDown(Level.Trial)
        public void close() throws Exception {
            // Resources close in reverse order, each even if another fails: stop forcing, close, delete.
            try (ScratchDirectory dir = dataDir; FileChannel open = channel; BackgroundFlusher running = flusher) {
                flusher = BackgroundFlusher.NONE;
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(BatchProducer.RECORDS_PER_INVOCATION)
    public long write(RawLog log, BatchProducer producer) throws IOException {
        long written = 0;
        for (int i = 0; i < producer.batchesPerInvocation; i++) {
            ByteBuffer bytes = producer.batch().refillBuffer();
            while (bytes.hasRemaining()) {
                written += log.channel.write(bytes);
            }
            if (log.forceEveryBatch) {
                log.channel.force(true);
            }
        }
        return written;
    }
}
