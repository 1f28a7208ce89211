package dev.hearth.job.exec;

/**
 * One operator instance of one task, receiving deserialized records pushed by its parent. Confined to the task's
 * thread; instances belong to exactly one task.
 */
interface Processor {

    void process(Object key, Object value, long timestampMs);
}
