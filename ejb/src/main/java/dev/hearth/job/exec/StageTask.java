package dev.hearth.job.exec;

import dev.hearth.job.plan.Stage;

import java.util.List;
import java.util.Map;

/**
 * One stage of a job running over one partition index of the stage's (co-partitioned) input topics. Created by
 * {@link TaskCompiler#compile}; the runtime drives it.
 *
 * <h2>Contract</h2>
 * <ol>
 * <li><b>Restore.</b> Before the first {@code process}, call {@link #restore} once with every record of partition
 * {@link TaskId#partition()} of each of {@link Stage#changelogTopics()}, up to the end, each topic in offset order
 * (topics may be interleaved). Skipping it is allowed only for a task that never committed anything.</li>
 * <li><b>Process.</b> Feed {@link #process} the records of partition {@code p} of each input topic, each topic in
 * offset order; any interleaving of topics is allowed. A record whose header {@value WatermarkHeader#KEY} is set is
 * a watermark control record: pass it in like any other, it never reaches user code.</li>
 * <li><b>Atomicity.</b> Everything emitted during one call (sink, repartition, late, control and changelog
 * records) reflects exactly the state change made by that call. Commit the emitted records and the consumed
 * offsets in one transaction. After {@link #deferChangelogUntilFlush()}, a state store's changelog records are
 * emitted by {@link #flush} instead, one per changed entry with its latest value: call it last before each
 * commit, so that the transaction holds the state as of its last call. If a call throws (a user function or serde
 * failed), or the transaction aborts, the task's in-memory state is ahead of what was committed: discard the task,
 * create a new one and restore it.</li>
 * <li><b>Partitioning.</b> An output partition of {@link OutputRecord#PARTITION_BY_KEY} means the default
 * (murmur2) partitioner on the key; changelog and control records carry an explicit partition.</li>
 * <li><b>Punctuate.</b> Call {@link #punctuate} periodically (e.g. every commit): it broadcasts the task's
 * output watermark to every partition of the repartition topics it writes, so downstream windows can close even
 * when the task's frontier advanced less than the broadcast interval. The output watermark is the frontier lowered
 * by each windowed operator to the least event time it may still emit: a downstream stage inherits it, so a window
 * fed by another window needs no {@code outOfOrderness} of its own.</li>
 * <li><b>Finish.</b> At the end of a bounded run, call {@link #finish}: it moves the watermark to +infinity, emits
 * every open window and broadcasts end-of-input downstream. Finish upstream stages first, drain their output into
 * the downstream stage, then finish it.</li>
 * </ol>
 * Thread-safety: a task is confined to one thread at a time (hand-over between threads needs a happens-before,
 * e.g. the runtime's own queue); {@link #metrics()} likewise.
 */
public final class StageTask {
    private final TaskId id;
    private final TaskContext context;
    private final Map<String, TaskInput> inputs;
    private final WatermarkTracker watermarks;
    private final WatermarkListener[] windowed;
    private final Map<String, StateStore> storesByChangelog;
    private final StateStore[] stores;
    private boolean deferChangelog;           // store changelogs are emitted by flush(), not at the end of each call
    private String lastTopic;                 // the topic of the previous record, and its input: most calls repeat it
    private TaskInput lastInput;
    private final TaskCompiler.BroadcastTarget[] broadcastTargets;
    private final long broadcastIntervalMs;   // frontier advance that triggers a broadcast from process()
    private long lastBroadcastMs = Long.MIN_VALUE; // frontier last broadcast; MIN_VALUE: none yet
    private boolean started;                  // a record was processed: restore is no longer allowed

    /** Use {@link TaskCompiler#compile}. */
    StageTask(TaskContext context, TaskCompiler.CompiledTask compiled, long broadcastIntervalMs) {
        this.id = context.id();
        this.context = context;
        this.inputs = compiled.inputs();
        this.watermarks = compiled.watermarks();
        this.windowed = compiled.windowed().toArray(new WatermarkListener[0]);
        this.storesByChangelog = compiled.storesByChangelog();
        this.stores = storesByChangelog.values().toArray(new StateStore[0]);
        this.broadcastTargets = compiled.broadcastTargets().toArray(new TaskCompiler.BroadcastTarget[0]);
        this.broadcastIntervalMs = broadcastIntervalMs;
    }

    public TaskId id() {
        return id;
    }

    /**
     * Rebuilds state stores and watermark bookkeeping from the task's changelog partitions.
     *
     * @throws IllegalStateException if called after {@code process}, or a record names a topic the task does not
     *                               own (a changed job or partition count)
     */
    public void restore(Iterable<ChangelogRecord> changelog) {
        if (started) {
            throw new IllegalStateException("task " + id + " already processed records; restore a new task");
        }
        for (ChangelogRecord record : changelog) {
            StateStore store = storesByChangelog.get(record.topic());
            if (store != null) {
                store.restore(record.key(), record.value());
            } else if (record.topic().equals(watermarks.changelogTopic())) {
                watermarks.restore(record.key(), record.value());
            } else {
                throw new IllegalStateException("task " + id + " has no store with changelog " + record.topic());
            }
        }
    }

    /**
     * Continues the counters of {@link #metrics()} from those a previous incarnation of the task committed (the
     * runtime keeps them with its commits), so they survive restarts and rebalances; its watermark is ignored.
     *
     * @throws IllegalStateException if called after {@code process}
     */
    public void restoreMetrics(TaskMetrics committed) {
        if (started) {
            throw new IllegalStateException("task " + id + " already processed records; restore a new task");
        }
        context.restoreCounters(committed);
    }

    /**
     * Processes one input record (data or watermark control), emitting its results and state changes.
     *
     * @throws IllegalArgumentException if the task does not read {@code record.topic()}
     */
    public void process(InputRecord record, Emitter emitter) {
        TaskInput input = lastInput;
        if (!record.topic().equals(lastTopic)) {
            input = inputs.get(record.topic());
            if (input == null) {
                throw new IllegalArgumentException("task " + id + " does not read topic " + record.topic());
            }
            lastTopic = record.topic();
            lastInput = input;
        }
        started = true;
        context.begin(record, input instanceof TaskInput.RepartitionInput, emitter);
        try {
            boolean advanced = input.accept(record);
            context.doneDeriving();
            if (advanced) {
                onFrontierAdvanced(false);
            }
            maybeFlushStores();
        } finally {
            context.end();
        }
    }

    /**
     * From now on, state stores buffer their changes and {@link #flush} emits them (the latest value of each
     * changed entry, once); until then every call emits its own. For a runtime that commits many calls at once.
     */
    public void deferChangelogUntilFlush() {
        deferChangelog = true;
    }

    /** Emits the state-store changes buffered since the last flush; call it last before committing. */
    public void flush(Emitter emitter) {
        context.begin(null, emitter);
        try {
            for (StateStore store : stores) {
                store.flush();
            }
        } finally {
            context.end();
        }
    }

    private void maybeFlushStores() {
        if (!deferChangelog) {
            for (StateStore store : stores) {
                store.flush();
            }
        }
    }

    /**
     * Periodic hook: broadcasts the frontier downstream if it moved since the last broadcast. {@code nowMs}
     * (wall clock) is not used yet: event time alone drives windows, so an input partition that receives nothing
     * holds the watermark back until {@link #finish} (no idleness timeout yet).
     */
    public void punctuate(long nowMs, Emitter emitter) {
        context.begin(null, emitter);
        try {
            maybeBroadcast(true);
            maybeFlushStores();
        } finally {
            context.end();
        }
    }

    /** End of a bounded run: watermark to +infinity, every open window emitted, end-of-input broadcast. */
    public void finish(Emitter emitter) {
        started = true;
        context.begin(null, emitter);
        try {
            watermarks.advanceAllToEnd();
            onFrontierAdvanced(true);
            maybeFlushStores();
        } finally {
            context.end();
        }
    }

    /**
     * The task's state store called {@code name}, or {@code null}; for interactive queries, which must read it on
     * the task's thread, between calls (the runtime hands them over).
     */
    public StateStore store(String name) {
        for (StateStore store : stores) {
            if (store.name().equals(name)) {
                return store;
            }
        }
        return null;
    }

    public TaskMetrics metrics() {
        return context.metrics();
    }

    /** Windows close before the broadcast, so their results precede the watermark that covers them downstream. */
    private void onFrontierAdvanced(boolean force) {
        long frontierMs = watermarks.frontierMs();
        for (WatermarkListener listener : windowed) {
            listener.onFrontier(frontierMs);
        }
        maybeBroadcast(force);
    }

    /**
     * The watermark this task hands downstream: its frontier, lowered by each windowed operator to the least event
     * time it may still emit ({@link WatermarkListener#outputWatermarkMs}), so downstream stages inherit it.
     */
    private long outputWatermarkMs() {
        long frontierMs = watermarks.frontierMs();
        long outputMs = frontierMs;
        for (WatermarkListener listener : windowed) {
            outputMs = Math.min(outputMs, listener.outputWatermarkMs(frontierMs));
        }
        return outputMs;
    }

    private void maybeBroadcast(boolean force) {
        long frontierMs = outputWatermarkMs();
        if (broadcastTargets.length == 0 || frontierMs == Long.MIN_VALUE || frontierMs == lastBroadcastMs) {
            return;
        }
        if (!force && lastBroadcastMs != Long.MIN_VALUE && frontierMs != Long.MAX_VALUE
                && frontierMs - lastBroadcastMs < broadcastIntervalMs) {
            return;
        }
        lastBroadcastMs = frontierMs;
        List<Header> headers = List.of(WatermarkHeader.encode(id.partition(), frontierMs));
        long timestampMs = Math.max(0, Math.min(frontierMs, 253_402_300_799_999L)); // Kafka needs >= 0; cap: year 9999
        for (TaskCompiler.BroadcastTarget target : broadcastTargets) {
            for (int partition = 0; partition < target.partitions(); partition++) {
                context.sendControl(new OutputRecord(target.topic(), partition, null, null, timestampMs, headers));
            }
        }
    }
}
