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

    private static final byte[] WINDOW_CLOSED = "window-closed".getBytes(StandardCharsets.US_ASCII);

    private final TaskId id;
    private Emitter emitter;       // of the current call, null between calls
    private InputRecord input;     // being processed, null outside process()
    private boolean inputFromRepartition; // input was read from a repartition topic (it carries its SourcePosition)
    private boolean deriving;      // records emitted now derive from input (false once the frontier moves)
    private List<Header> sourcePosition; // of input, computed on first use; null until then
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
        begin(input, false, emitter);
    }

    /** Starts a call; {@code input} (if not null) is the record whose results it emits until {@link #doneDeriving}. */
    void begin(InputRecord input, boolean fromRepartitionTopic, Emitter emitter) {
        this.input = input;
        this.inputFromRepartition = fromRepartitionTopic;
        this.deriving = input != null;
        this.sourcePosition = null;
        this.emitter = emitter;
    }

    /** Records emitted from now on in this call (window results) do not derive from its input record. */
    void doneDeriving() {
        this.deriving = false;
    }

    void end() {
        this.input = null;
        this.deriving = false;
        this.sourcePosition = null;
        this.emitter = null;
    }

    private List<Header> sourcePosition() {
        if (sourcePosition == null) {
            sourcePosition = SourcePosition.of(input, inputFromRepartition);
        }
        return sourcePosition;
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

    /** Emits a data record to a sink topic. */
    void send(String topic, byte[] key, byte[] value, long timestampMs) {
        recordsOut++;
        emitter.emit(new OutputRecord(topic, OutputRecord.PARTITION_BY_KEY, key, value, timestampMs, List.of()));
    }

    /**
     * Emits a data record to a repartition topic, with the {@link SourcePosition} of the record it derives from
     * (none for a window result).
     */
    void sendRepartition(String topic, byte[] key, byte[] value, long timestampMs) {
        recordsOut++;
        emitter.emit(new OutputRecord(topic, OutputRecord.PARTITION_BY_KEY, key, value, timestampMs,
                deriving ? sourcePosition() : List.of()));
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
     * Sends the record being processed, as the task read it (key and value bytes, timestamp and headers of its
     * stage's input record: the source record itself in the first stage, the re-keyed record after a repartition),
     * to a late-record side output, adding headers that say why and the {@link SourcePosition} of the source
     * record.
     */
    void sendLate(String lateTopic, String operator, long watermarkMs) {
        lateRecords++;
        List<Header> headers = new ArrayList<>(input.headers().size() + 6);
        for (Header header : input.headers()) {
            if (!SourcePosition.isPositionHeader(header.key())) {
                headers.add(header);
            }
        }
        headers.addAll(sourcePosition());
        headers.add(new Header(LATE_REASON_HEADER, WINDOW_CLOSED));
        headers.add(new Header(LATE_OPERATOR_HEADER, operator.getBytes(StandardCharsets.UTF_8)));
        headers.add(new Header(LATE_WATERMARK_HEADER,
                Long.toString(watermarkMs).getBytes(StandardCharsets.US_ASCII)));
        emitter.emit(new OutputRecord(lateTopic, OutputRecord.PARTITION_BY_KEY, input.key(), input.value(),
                input.timestampMs(), headers));
    }

    /** Timestamp for changelog records: the input's, else 0. */
    long changelogTimestampMs() {
        return input == null ? 0 : input.timestampMs();
    }

    /** Adds the counters a previous incarnation of the task committed (they count from there). */
    void restoreCounters(TaskMetrics committed) {
        recordsIn += committed.recordsIn();
        recordsOut += committed.recordsOut();
        lateRecords += committed.lateRecords();
    }

    TaskMetrics metrics() {
        return new TaskMetrics(recordsIn, recordsOut, lateRecords, frontierMs);
    }
}
