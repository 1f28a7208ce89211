package dev.hearth.bench;

import java.io.Serializable;
import java.util.Objects;

/** The primary key of {@link BenchRow}. */
public class BenchRowId implements Serializable {

    private int recordPartition;
    private long recordOffset;

    public BenchRowId() {
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof BenchRowId id && id.recordPartition == recordPartition && id.recordOffset == recordOffset;
    }

    @Override
    public int hashCode() {
        return Objects.hash(recordPartition, recordOffset);
    }
}
