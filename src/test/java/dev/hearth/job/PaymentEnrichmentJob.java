package dev.hearth.job;

import jakarta.enterprise.context.ApplicationScoped;

import dev.hearth.job.api.JobBuilder;
import dev.hearth.job.api.Serdes;
import dev.hearth.job.api.StreamJob;
import dev.hearth.job.api.Table;

/** Stream–table join: each payment (key: account) enriched with the account's owner from a table topic. */
@ApplicationScoped
public class PaymentEnrichmentJob {

    @StreamJob("payment-enrichment")
    void define(JobBuilder builder) {
        Table<String, String> owners = builder.table("accounts", Serdes.string(), Serdes.string());
        builder.from("payments", Serdes.string(), Serdes.string())
                .join(owners, (amount, owner) -> owner + ":" + amount)
                .to("payments-enriched", Serdes.string(), Serdes.string());
    }
}
