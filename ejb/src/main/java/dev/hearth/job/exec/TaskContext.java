package dev.hearth.job.exec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The per-task state every operator of a task shares: the emitter and input record of the current call, the
 * counters, and the watermark frontier. One instance per {@link StageTask}; confined to the task's thread.
 * <p>
 * Invariant: {@link #emitter} is non-null only during a {@code StageTask} call; operators emit only then.
 */
final class TaskContext {

    /** Header naming why a record went to a late-record side output. */
    static final String LATE_REASON_HEADER = "hearth.late.reason";
    /** Header naming the store of the windowed operator that rejected a late record. */
    static final String LATE_OPERATOR_HEADER = "hearth.late.operator";
    /** Header with the operator's watermark (decimal ms) when it rejected the record. */
    static final String LATE_WATERMARK_HEADER = "hearth.late.watermark";
    /** Header with "topic/partition/offset" of the rejected record as the task read it. */
    static final String LATE_SOURCE_HEADER = "hearth.late.source";

    private static final byte[] WINDOW_CLOSED = "window-closed".getBytes(StandardCharsets.US_ASCII);

    private final TaskId id;
    private Emitter emitter;       // of the current call, null between calls
    private InputRecord input;     // being processed, null outside process()
    private long frontierMs = Long.MIN_VALUE; // mirrors the WatermarkTracker, read by windowed operators
    private long recordsIn;
    private long recordsOut;
    private long lateRecords;

    TaskContext(TaskId id) {
        this.id = id;
    }

    TaskId id() {
        return id;
    }

    void begin(InputRecord input, Emitter emitter) {
        this.input = input;
        this.emitter = emitter;
    }

    void end() {
        this.input = null;
        this.emitter = null;
    }

    long frontierMs() {
        return frontierMs;
    }

    void frontierMs(long frontierMs) {
        this.frontierMs = frontierMs;
    }

    void countIn() {
        recordsIn++;
    }

    /** Emits a data record to a sink or repartition topic. */
    void send(String topic, byte[] key, byte[] value, long timestampMs) {
        recordsOut++;
        emitter.emit(new OutputRecord(topic, OutputRecord.PARTITION_BY_KEY, key, value, timestampMs, List.of()));
    }

    /** Emits a record that is not data (watermark control). */
    void sendControl(OutputRecord record) {
        emitter.emit(record);
    }

    /** Emits a store change to the task's partition of {@code changelogTopic}; {@code value == null} deletes. */
    void sendChangelog(String changelogTopic, byte[] key, byte[] value, long timestampMs) {
        emitter.emit(new OutputRecord(changelogTopic, id.partition(), key, value, Math.max(0, timestampMs),
                List.of()));
    }

    /**
     * Sends the record being processed, unchanged (its original key and value bytes and headers), to a late-record
     * side output, adding headers that say why.
     */
    void sendLate(String lateTopic, String operator, long watermarkMs) {
        lateRecords++;
        List<Header> headers = new ArrayList<>(input.headers().size() + 4);
        headers.addAll(input.headers());
        headers.add(new Header(LATE_REASON_HEADER, WINDOW_CLOSED));
        headers.add(new Header(LATE_OPERATOR_HEADER, operator.getBytes(StandardCharsets.UTF_8)));
        headers.add(new Header(LATE_WATERMARK_HEADER,
                Long.toString(watermarkMs).getBytes(StandardCharsets.US_ASCII)));
        headers.add(new Header(LATE_SOURCE_HEADER, (input.topic() + "/" + input.partition() + "/" + input.offset())
                .getBytes(StandardCharsets.UTF_8)));
        emitter.emit(new OutputRecord(lateTopic, OutputRecord.PARTITION_BY_KEY, input.key(), input.value(),
                input.timestampMs(), headers));
    }

    /** Timestamp for changelog records: the input's, else 0. */
    long changelogTimestampMs() {
        return input == null ? 0 : input.timestampMs();
    }

    TaskMetrics metrics() {
        return new TaskMetrics(recordsIn, recordsOut, lateRecords, frontierMs);
    }
}
