package dev.hearth.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.Records;
import org.apache.kafka.common.record.internal.SimpleRecord;

import dev.hearth.engine.log.LogEngine;

/**
 * Shared fixtures for the engine's unit tests: building record batches, reading a partition back, a clock
 * the test controls and the few file manipulations that crash tests need.
 *
 * <p>Batches are always built fresh: {@link LogEngine#append} assigns offsets (and LogAppendTime
 * timestamps) into the caller's buffer in place, so a buffer must never be appended twice.
 */
public final class EngineTestSupport {

    /** A fixed wall-clock instant (2023-11-14) that keeps timestamps readable and far from 0. */
    public static final long T0 = 1_700_000_000_000L;

    /** Large enough for any read in these tests to return every batch of a segment. */
    public static final int ALL_BYTES = Integer.MAX_VALUE;

    private EngineTestSupport() {
    }

    /** Engine defaults, with deleted segment files removed at the next retention run. */
    public static EngineConfig config(Path dataDir) {
        return EngineConfig.defaults(dataDir).withFileDeleteDelayMs(0);
    }

    public static SimpleRecord record(long timestamp, String key, String value, Header... headers) {
        return new SimpleRecord(timestamp, bytes(key), bytes(value), headers);
    }

    public static Header header(String key, String value) {
        return new RecordHeader(key, bytes(value));
    }

    /** One uncompressed v2 batch (CreateTime) holding {@code records} in order. */
    public static MemoryRecords batch(SimpleRecord... records) {
        return MemoryRecords.withRecords(Compression.NONE, records);
    }

    /** One batch of records with the given values, all stamped {@code timestamp} and keyed "k". */
    public static MemoryRecords batch(long timestamp, String... values) {
        return batch(Arrays.stream(values).map(v -> record(timestamp, "k", v)).toArray(SimpleRecord[]::new));
    }

    /** One batch with a single record whose value is {@code valueBytes} bytes; all such batches are the same size. */
    public static MemoryRecords sizedBatch(long timestamp, int valueBytes) {
        return batch(new SimpleRecord(timestamp, bytes("k"), new byte[valueBytes]));
    }

    /** Several batches in one request, as a producer sends them. */
    public static MemoryRecords concat(MemoryRecords... parts) {
        int size = Arrays.stream(parts).mapToInt(MemoryRecords::sizeInBytes).sum();
        ByteBuffer buffer = ByteBuffer.allocate(size);
        for (MemoryRecords part : parts) {
            buffer.put(part.buffer().duplicate());
        }
        buffer.flip();
        return MemoryRecords.readableRecords(buffer);
    }

    /** The batches of a fetched view, materialised as a list. */
    public static List<RecordBatch> batches(Records records) {
        List<RecordBatch> list = new ArrayList<>();
        records.batches().forEach(list::add);
        return list;
    }

    /** Every record of the partition from its log start offset to its log end offset, in offset order. */
    public static List<Record> readAll(LogEngine engine, String topic, int partition) {
        PartitionInfo info = engine.describePartition(topic, partition);
        List<Record> records = new ArrayList<>();
        long next = info.logStartOffset();
        while (next < info.logEndOffset()) {
            FetchResult result = engine.read(topic, partition, next, ALL_BYTES);
            long before = next;
            for (RecordBatch batch : result.records().batches()) {
                for (Record record : batch) {
                    if (record.offset() >= next) {
                        records.add(record);
                    }
                }
                next = batch.nextOffset();
            }
            assertTrue(next > before, "a read at offset " + before + " below the log end offset "
                    + info.logEndOffset() + " must return at least one batch");
        }
        return records;
    }

    /** Records as comparable values: key, value, timestamp and headers (offsets are compared separately). */
    public static List<SimpleRecord> contents(List<Record> records) {
        return records.stream().map(SimpleRecord::new).toList();
    }

    public static List<Long> offsets(List<Record> records) {
        return records.stream().map(Record::offset).toList();
    }

    public static String valueOf(Record record) {
        ByteBuffer value = record.value().duplicate();
        byte[] bytes = new byte[value.remaining()];
        value.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    public static byte[] bytes(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code <dataDir>/topics/<topic>/<partition>}, where the partition's segment files live. */
    public static Path partitionDir(Path dataDir, String topic, int partition) {
        return dataDir.resolve("topics").resolve(topic).resolve(Integer.toString(partition));
    }

    /** The live segment log files of a partition directory, oldest first. */
    public static List<Path> logFiles(Path partitionDir) {
        return filesEndingWith(partitionDir, ".log");
    }

    public static List<Path> filesEndingWith(Path dir, String suffix) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(file -> file.getFileName().toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Flips every bit of the byte at {@code position}. */
    public static void flipByte(Path file, long position) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, position);
            one.flip();
            one.put(0, (byte) ~one.get(0));
            channel.write(one, position);
        }
    }

    public static void truncate(Path file, long length) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(length);
        }
    }

    public static void copyDirectory(Path source, Path target) throws IOException {
        try (Stream<Path> paths = Files.walk(source)) {
            for (Path path : paths.toList()) {
                Path copy = target.resolve(source.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(path, copy);
                }
            }
        }
    }

    public static void deleteDirectory(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** A wall clock that moves only when the test moves it. Thread-safe. */
    public static final class ManualClock implements LongSupplier {

        private volatile long nowMs;

        public ManualClock(long nowMs) {
            this.nowMs = nowMs;
        }

        @Override
        public long getAsLong() {
            return nowMs;
        }

        public synchronized void advance(long ms) {
            nowMs += ms;
        }

        public void set(long ms) {
            nowMs = ms;
        }
    }
}
