-- The state layout each stream job last ran with (dev.hearth.job.entity.JobStateLayout): a redeployed job resumes
-- from its state and offsets only when its new plan has the same layout.
CREATE TABLE job_state_layout (
    job_name    VARCHAR(249)  PRIMARY KEY,
    layout      VARCHAR(8000) NOT NULL,
    application VARCHAR(255)  NOT NULL,
    changed_at  TIMESTAMP(6) WITH TIME ZONE NOT NULL
);
