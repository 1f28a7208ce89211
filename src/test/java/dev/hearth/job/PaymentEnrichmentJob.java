package dev.hearth.job;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import dev.hearth.job.api.JobBuilder;
import dev.hearth.job.api.Serdes;
import dev.hearth.job.api.StreamJob;
import dev.hearth.job.api.Table;
import dev.hearth.job.api.Trigger;

/**
 * Stream–table join: each payment (key: account) enriched with the account's owner from a table topic; results
 * committed in micro-batches of 300 ms.
 */
@ApplicationScoped
public class PaymentEnrichmentJob {

    @StreamJob("payment-enrichment")
    void define(JobBuilder builder) {
        builder.trigger(Trigger.microBatch(Duration.ofMillis(300)));
        Table<String, String> owners = builder.table("accounts", Serdes.string(), Serdes.string());
        builder.from("payments", Serdes.string(), Serdes.string())
                .join(owners, (amount, owner) -> owner + ":" + amount)
                .to("payments-enriched", Serdes.string(), Serdes.string());
    }
}
