-- Operators' decisions about stream jobs that outlive restarts (dev.hearth.job.entity.JobControl).
CREATE TABLE job_control (
    job_name   VARCHAR(249) PRIMARY KEY,
    paused     BOOLEAN      NOT NULL,
    changed_at TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    changed_by VARCHAR(200) NOT NULL
);
