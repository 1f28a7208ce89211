package dev.hearth.bench;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;

/**
 * One record batch as a producer sends it (format v2, uncompressed, CreateTime, no keys or headers), kept
 * pristine, plus one reusable working copy for the writer to consume.
 *
 * <p>{@code LogEngine.append} rewrites offsets in the buffer it is given, so every append gets a fresh copy
 * of the pristine bytes; {@link #refill} copies them into a preallocated direct buffer, so the measured loop
 * allocates nothing. The raw-{@code FileChannel} baseline pays the same copy, which keeps the comparison
 * about the engine alone.
 *
 * <p>Thread-safety: none; each benchmark thread owns its instance.
 */
final class PristineBatch {

    /** CreateTime of every record: fixed, so runs write identical bytes. */
    private static final long CREATE_TIME_MS = 1_700_000_000_000L;

    /** The batch as built, base offset 0; never handed out. */
    private final ByteBuffer pristine;
    /** What {@link #refill} overwrites and hands out; same size as {@code pristine}. */
    private final ByteBuffer work;
    /** View of {@code work}; valid across refills because the bytes, and so the batch layout, never change. */
    private final MemoryRecords workRecords;
    private final int recordCount;

    private PristineBatch(ByteBuffer pristine, int recordCount) {
        this.pristine = pristine;
        this.recordCount = recordCount;
        this.work = ByteBuffer.allocateDirect(pristine.remaining());
        this.work.put(0, pristine, 0, pristine.remaining());
        this.workRecords = MemoryRecords.readableRecords(work);
    }

    /** A batch of {@code recordCount} records, each with a value of {@code valueBytes} pseudo-random bytes. */
    static PristineBatch of(int recordCount, int valueBytes) {
        if (recordCount < 1 || valueBytes < 0) {
            throw new IllegalArgumentException("need at least one record and a non-negative value size, not "
                    + recordCount + " records of " + valueBytes + " bytes");
        }
        SplittableRandom random = new SplittableRandom(42);
        MemoryRecordsBuilder builder = MemoryRecords.builder(
                ByteBuffer.allocate(recordCount * (valueBytes + 32) + 128),
                Compression.NONE, TimestampType.CREATE_TIME, 0L);
        for (int i = 0; i < recordCount; i++) {
            byte[] value = new byte[valueBytes];
            random.nextBytes(value);
            builder.append(CREATE_TIME_MS, null, value);
        }
        ByteBuffer built = builder.build().buffer();
        ByteBuffer pristine = ByteBuffer.allocateDirect(built.remaining());
        pristine.put(built).flip();
        return new PristineBatch(pristine.asReadOnlyBuffer(), recordCount);
    }

    /** The working copy reset to the pristine bytes, as records for {@code LogEngine.append}. */
    MemoryRecords refill() {
        refillBuffer();
        return workRecords;
    }

    /** The working copy reset to the pristine bytes, position 0 and limit {@link #sizeInBytes}. */
    ByteBuffer refillBuffer() {
        work.put(0, pristine, 0, pristine.limit());
        work.clear();
        return work;
    }

    int recordCount() {
        return recordCount;
    }

    int sizeInBytes() {
        return pristine.limit();
    }
}
