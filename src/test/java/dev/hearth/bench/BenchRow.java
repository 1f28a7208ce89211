package dev.hearth.bench;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/** One row per delivered record, keyed by the record's position. */
@Entity
@Table(name = "bench_row")
@IdClass(BenchRowId.class)
public class BenchRow {

    @Id
    @Column(name = "record_partition")
    private int recordPartition;

    @Id
    @Column(name = "record_offset")
    private long recordOffset;

    @Column(name = "payload", length = 200)
    private byte[] payload;

    protected BenchRow() {
    }

    public BenchRow(int recordPartition, long recordOffset, byte[] payload) {
        this.recordPartition = recordPartition;
        this.recordOffset = recordOffset;
        this.payload = payload;
    }
}
