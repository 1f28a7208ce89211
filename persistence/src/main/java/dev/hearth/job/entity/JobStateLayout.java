package dev.hearth.job.entity;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * The layout of a stream job's state as it last ran: its internal topics (repartition and changelog), one per line,
 * sorted, each {@code <KIND> <topic> <partitions-as-topic> <stage>}. A job deployed again keeps its state and
 * offsets only if its plan has the same layout; otherwise it is rejected with the difference until it is reset.
 * Written when a job starts with a layout for the first time or after a reset.
 */
@Entity
@Table(name = "job_state_layout")
public class JobStateLayout {

    @Id
    @Column(name = "job_name", length = 249)
    private String jobName;

    @Column(nullable = false, length = 8000)
    private String layout;

    /** The application that deployed the job with this layout. */
    @Column(nullable = false, length = 255)
    private String application;

    @Column(name = "changed_at", nullable = false)
    private Instant changedAt;

    protected JobStateLayout() {
    }

    public JobStateLayout(String jobName) {
        this.jobName = jobName;
    }

    public String jobName() {
        return jobName;
    }

    public String layout() {
        return layout;
    }

    public String application() {
        return application;
    }

    public void change(String layout, String application, Instant at) {
        this.layout = layout;
        this.application = application;
        this.changedAt = at;
    }
}
