package dev.hearth.job.exec;

import dev.hearth.job.plan.Stage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One stage of a job running over one partition index of the stage's (co-partitioned) input topics. Created by
 * {@link TaskCompiler#compile}; the runtime drives it.
 *
 * <h2>Contract</h2>
 * <ol>
 * <li><b>Restore.</b> Before the first {@code process}, ask {@link #restoreOffsets} where to start reading each of
 * {@link Stage#changelogTopics()} (partition {@link TaskId#partition()}): persistent stores whose local copy is
 * described by a valid checkpoint need only the tail; everything else is read from the start. Then call
 * {@link #restore} with every record from there up to the end (in one call or several, e.g. one per poll), each
 * topic in offset order (topics may be interleaved). Skipping it is allowed only for a task that never committed anything.</li>
 * <li><b>Committed.</b> After {@link #deferChangelogUntilFlush()}, persistent stores keep a transaction's writes in
 * memory until told, by {@link #committed}, that the transaction holding its changelog records (up to the last
 * {@link #flush}) committed; then they write them to disk and checkpoint the changelog offsets they reflect (see
 * {@link TaskStateDirectory} for why that is exact under exactly-once). Without deferral each call is its own
 * commit: its writes reach the disk at its end, and {@code committed} only checkpoints. {@link #close} the task when dropping it, which frees native resources; a task whose partition
 * moved to another owner should also {@link #deleteLocalState}.</li>
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
    private final TaskStateDirectory stateDirectory; // null: no persistent store
    private final RocksDbStore[] persistentStores;
    private boolean closed;
    /** Changelog offsets the disk reflects as of the last {@link #committed}; those of the last checkpoint. */
    private Map<String, Long> committedOffsets = Map.of();
    private Map<String, Long> checkpointedOffsets = Map.of();
    /**
     * Changelog records the disk may be ahead of its checkpoint before {@code committed} writes a new one (as Kafka
     * Streams does): each checkpoint costs three fsyncs, and an older checkpoint only lengthens the tail replayed.
     */
    static final long CHECKPOINT_DELTA_RECORDS = 10_000;
    /** Longest time the checkpoint lags the disk while changelog records keep coming, however few. */
    static final long CHECKPOINT_INTERVAL_MS = 10_000;
    private long checkpointDeltaRecords = CHECKPOINT_DELTA_RECORDS;
    private long lastCheckpointNanos = System.nanoTime();

    /** Use {@link TaskCompiler#compile}. */
    StageTask(TaskContext context, TaskCompiler.CompiledTask compiled, long broadcastIntervalMs,
              TaskStateDirectory stateDirectory) {
        this.id = context.id();
        this.context = context;
        this.inputs = compiled.inputs();
        this.watermarks = compiled.watermarks();
        this.windowed = compiled.windowed().toArray(new WatermarkListener[0]);
        this.storesByChangelog = compiled.storesByChangelog();
        this.stores = storesByChangelog.values().toArray(new StateStore[0]);
        this.broadcastTargets = compiled.broadcastTargets().toArray(new TaskCompiler.BroadcastTarget[0]);
        this.broadcastIntervalMs = broadcastIntervalMs;
        List<RocksDbStore> persistent = new ArrayList<>();
        for (StateStore store : stores) {
            if (store instanceof RocksDbStore rocksDb) {
                persistent.add(rocksDb);
            }
        }
        this.persistentStores = persistent.toArray(new RocksDbStore[0]);
        this.stateDirectory = persistentStores.length == 0 ? null : stateDirectory;
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
            restoreOne(record);
        }
        for (RocksDbStore store : persistentStores) {
            store.finishRestore();
        }
    }

    /**
     * Where to start reading each changelog topic of the task (its partition {@link TaskId#partition()}) to
     * restore it: the checkpointed offset for a persistent store whose local copy the checkpoint describes and
     * which lies within the changelog; else the log start offset, after wiping whatever local copy the store had
     * (no checkpoint, an unreadable one, a corrupt or missing store, a changelog that was truncated or recreated).
     *
     * @param logStartOffsets each changelog topic's first offset in the partition (absent: 0)
     * @param logEndOffsets   each changelog topic's end offset in the partition (absent: unbounded)
     * @return for every changelog topic of the task, the offset of the first record {@link #restore} needs
     */
    public Map<String, Long> restoreOffsets(Map<String, Long> logStartOffsets, Map<String, Long> logEndOffsets) {
        Map<String, Long> checkpoint = stateDirectory == null ? Map.of() : stateDirectory.readCheckpoint();
        Map<String, Long> offsets = new HashMap<>();
        for (String topic : storesByChangelog.keySet()) {
            offsets.put(topic, logStartOffsets.getOrDefault(topic, 0L));
        }
        if (watermarks.changelogTopic() != null) {
            offsets.put(watermarks.changelogTopic(), logStartOffsets.getOrDefault(watermarks.changelogTopic(), 0L));
        }
        for (RocksDbStore store : persistentStores) {
            String topic = store.changelogTopic();
            Long checkpointed = checkpoint.get(topic);
            long startOffset = logStartOffsets.getOrDefault(topic, 0L);
            long endOffset = logEndOffsets.getOrDefault(topic, Long.MAX_VALUE);
            if (store.hadLocalState() && checkpointed != null && checkpointed >= startOffset
                    && checkpointed <= endOffset) {
                offsets.put(topic, checkpointed);
            } else if (store.hadLocalState()) {
                store.wipe();
            }
        }
        return offsets;
    }

    /**
     * Everything the task emitted up to its last {@link #flush} is committed: persistent stores write it to disk
     * and the task checkpoints the changelog offsets they now reflect. {@code changelogNextOffsets} holds, for each
     * changelog topic, the offset after the last committed record of the task's partition (written by the task
     * or restored); a store whose topic is absent gets no checkpoint entry (its next restore reads everything).
     * The checkpoint is written once the stores moved {@value #CHECKPOINT_DELTA_RECORDS} changelog records past the
     * last one or {@value #CHECKPOINT_INTERVAL_MS} ms after it, and at {@link #close}. Does nothing when the task has no persistent store.
     *
     * @throws StateStoreException if the local state cannot be written
     */
    public void committed(Map<String, Long> changelogNextOffsets) {
        if (stateDirectory == null || closed) {
            return;
        }
        for (RocksDbStore store : persistentStores) {
            store.writeCommitted();
        }
        Map<String, Long> offsets = new HashMap<>();
        long delta = 0;
        for (RocksDbStore store : persistentStores) {
            Long offset = changelogNextOffsets.get(store.changelogTopic());
            if (offset != null) {
                offsets.put(store.changelogTopic(), offset);
                delta += offset - checkpointedOffsets.getOrDefault(store.changelogTopic(), 0L);
            }
        }
        committedOffsets = offsets;
        if (delta >= checkpointDeltaRecords
                || (delta > 0 && System.nanoTime() - lastCheckpointNanos >= CHECKPOINT_INTERVAL_MS * 1_000_000)) {
            checkpoint();
        }
    }

    /** Checkpoints every {@code records} changelog records instead of {@value #CHECKPOINT_DELTA_RECORDS}. */
    void checkpointDeltaRecords(long records) {
        this.checkpointDeltaRecords = records;
    }

    /** Makes the disk durable (WAL synced), then checkpoints the changelog offsets it reflects. */
    private void checkpoint() {
        if (committedOffsets.isEmpty() || committedOffsets.equals(checkpointedOffsets)) {
            return;
        }
        for (RocksDbStore store : persistentStores) {
            store.syncWal();
        }
        stateDirectory.writeCheckpoint(committedOffsets);
        checkpointedOffsets = committedOffsets;
        lastCheckpointNanos = System.nanoTime();
    }

    /**
     * Checkpoints what the last {@link #committed} reported (the disk holds exactly that, or the task never learnt
     * of a later commit: either way a valid checkpoint) and frees the native resources of the persistent stores;
     * idempotent. Writes of a transaction not reported committed are dropped. The local state stays for the next
     * task.
     *
     * @throws StateStoreException if the checkpoint cannot be written (the stores are closed nonetheless)
     */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (stateDirectory != null) {
                checkpoint();
            }
        } finally {
            for (RocksDbStore store : persistentStores) {
                store.close();
            }
        }
    }

    /** Closes the task and deletes its local state: its partition moved, another owner's changelog writes follow. */
    public void deleteLocalState() {
        closed = true; // no checkpoint: the state goes
        for (RocksDbStore store : persistentStores) {
            store.close();
        }
        if (stateDirectory != null) {
            stateDirectory.delete();
        }
    }

    private void restoreOne(ChangelogRecord record) {
        StateStore store = storesByChangelog.get(record.topic());
        if (store != null) {
            store.restore(record.key(), record.value());
        } else if (record.topic().equals(watermarks.changelogTopic())) {
            watermarks.restore(record.key(), record.value());
        } else {
            throw new IllegalStateException("task " + id + " has no store with changelog " + record.topic());
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
            for (RocksDbStore store : persistentStores) {
                store.writeCommitted(); // without deferral, each call is its own commit
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
