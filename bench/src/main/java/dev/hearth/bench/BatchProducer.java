package dev.hearth.bench;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A producing benchmark thread: one prebuilt batch of {@code batchSize} records of {@value #VALUE_BYTES}
 * bytes, appended {@link #batchesPerInvocation} times per benchmark invocation so that every invocation
 * writes {@value #RECORDS_PER_INVOCATION} records whatever the batch size, and JMH's ops/s are records/s.
 *
 * <p>Thread-safety: a JMH thread-scoped state, one per benchmark thread.
 */
@State(Scope.Thread)
public class BatchProducer {

    static final int VALUE_BYTES = 100;
    /** Records written per benchmark invocation: the operation count JMH divides time by. */
    static final int RECORDS_PER_INVOCATION = 1000;

    /** Records per batch (per append or write call); must divide {@value #RECORDS_PER_INVOCATION}. */
    @Param({"100", "1000"})
    public int batchSize;

    private PristineBatch batch;
    int batchesPerInvocation;

    @Setup(Level.Trial)
    public void buildBatch() {
        if (batchSize < 1 || RECORDS_PER_INVOCATION % batchSize != 0) {
            throw new IllegalArgumentException("batchSize must divide " + RECORDS_PER_INVOCATION + ", not " + batchSize);
        }
        batch = PristineBatch.of(batchSize, VALUE_BYTES);
        batchesPerInvocation = RECORDS_PER_INVOCATION / batchSize;
        System.out.printf("%n# batch: %d records of %d B value = %d B on disk (%.1f B/record)%n",
                batchSize, VALUE_BYTES, batch.sizeInBytes(), (double) batch.sizeInBytes() / batchSize);
    }

    PristineBatch batch() {
        return batch;
    }
}
