package com.example.payments;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A payment booked by {@link LedgerBean} from topic {@code payments}. Its key is the record's position, so a record
 * booked twice could not go unnoticed.
 */
@Entity
@Table(name = "example_ledger_entry")
public class LedgerEntry {

    @Id
    @Column(length = 40)
    private String position;

    @Column(name = "payment_id", nullable = false, length = 100)
    private String paymentId;

    @Column(name = "amount_cents", nullable = false)
    private long amountCents;

    protected LedgerEntry() {
    }

    public LedgerEntry(String position, String paymentId, long amountCents) {
        this.position = position;
        this.paymentId = paymentId;
        this.amountCents = amountCents;
    }
}
