package dev.hearth.job;

import jakarta.enterprise.context.ApplicationScoped;

import dev.hearth.job.api.JobBuilder;
import dev.hearth.job.api.Serdes;
import dev.hearth.job.api.StreamJob;

/** Parses amounts; a value that is not a number makes the job's function throw (a poison record). */
@ApplicationScoped
public class AmountParsingJob {

    @StreamJob("amount-parsing")
    void define(JobBuilder builder) {
        builder.from("amounts", Serdes.string(), Serdes.string())
                .mapValues(value -> Long.toString(Long.parseLong(value) * 100), Serdes.string())
                .to("amounts-in-cents", Serdes.string(), Serdes.string());
    }
}
