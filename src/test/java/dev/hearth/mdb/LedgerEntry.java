package dev.hearth.mdb;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A row an application writes for each record it processes. Deliberately no unique constraint on the record's
 * position: a duplicate delivery must show up as a second row, not be hidden by the database.
 */
@Entity
@Table(name = "test_ledger_entry")
public class LedgerEntry {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false)
    private String entry;

    @Column(name = "record_partition", nullable = false)
    private int recordPartition;

    @Column(name = "record_offset", nullable = false)
    private long recordOffset;

    protected LedgerEntry() {
    }

    public LedgerEntry(String entry, int recordPartition, long recordOffset) {
        this.entry = entry;
        this.recordPartition = recordPartition;
        this.recordOffset = recordOffset;
    }

    public String entry() {
        return entry;
    }

    public int recordPartition() {
        return recordPartition;
    }

    public long recordOffset() {
        return recordOffset;
    }
}
