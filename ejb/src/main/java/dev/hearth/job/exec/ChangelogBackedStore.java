package dev.hearth.job.exec;

/**
 * What every store has: its name, its changelog topic, and the task context it writes changelog records
 * through. Confined to the task's thread, as the stores are.
 */
abstract class ChangelogBackedStore implements StateStore {
    protected final String name;
    protected final String changelogTopic;
    protected final TaskContext context;

    ChangelogBackedStore(String name, String changelogTopic, TaskContext context) {
        this.name = name;
        this.changelogTopic = changelogTopic;
        this.context = context;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String changelogTopic() {
        return changelogTopic;
    }
}
