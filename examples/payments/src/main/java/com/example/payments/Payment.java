package com.example.payments;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A payment as the REST resource accepted it, written in the same transaction as its record. */
@Entity
@Table(name = "example_payment")
public class Payment {

    @Id
    @Column(length = 100)
    private String id;

    @Column(name = "amount_cents", nullable = false)
    private long amountCents;

    protected Payment() {
    }

    public Payment(String id, long amountCents) {
        this.id = id;
        this.amountCents = amountCents;
    }

    public String id() {
        return id;
    }

    public long amountCents() {
        return amountCents;
    }
}
