package dev.hearth.job.entity;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * What an operator asked of a stream job that must outlive the server: whether it is paused. A job without a
 * row runs. Written when the state is changed through the admin API; read when the job is deployed, so a job
 * paused before a restart (or a crash) stays paused.
 */
@Entity
@Table(name = "job_control")
public class JobControl {

    @Id
    @Column(name = "job_name", length = 249)
    private String jobName;

    @Column(nullable = false)
    private boolean paused;

    @Column(name = "changed_at", nullable = false)
    private Instant changedAt;

    @Column(name = "changed_by", nullable = false, length = 200)
    private String changedBy;

    protected JobControl() {
    }

    public JobControl(String jobName) {
        this.jobName = jobName;
    }

    public String jobName() {
        return jobName;
    }

    public boolean paused() {
        return paused;
    }

    public void change(boolean paused, Instant at, String by) {
        this.paused = paused;
        this.changedAt = at;
        this.changedBy = by;
    }
}
