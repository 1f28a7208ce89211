package dev.hearth.job.control;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;

import dev.hearth.connector.api.DeadLetters;
import dev.hearth.job.exec.Header;
import dev.hearth.job.exec.InputRecord;

/**
 * A job's dead-letter policy, the one place both of its runs (the continuous workers and a bounded run) take it
 * from: an input record whose processing throws is attempted again from the last consistent state (the last
 * commit; for a bounded run, its task's start) up to {@value #MAX_RECORD_ATTEMPTS} times in all; the next attempt
 * skips it and sends it, unchanged, to the job's dead-letter topic {@code <job>.DLT} ({@link DeadLetters}) with
 * headers naming where it came from and the error of its last attempt.
 * <p>
 * Records are known by topic, partition and offset; the failure counts live in memory only (a restarted server
 * attempts a record {@value #MAX_RECORD_ATTEMPTS} more times). Thread-safety: safe for concurrent use (the
 * workers of a job share one instance).
 */
final class PoisonRecords {

    /** Attempts at one input record (each a restart from the last consistent state) before it is dead-lettered. */
    static final int MAX_RECORD_ATTEMPTS = 3;

    private static final Logger LOG = Logger.getLogger(PoisonRecords.class.getName());

    private final String jobName;
    /** Failed attempts per input record, until it succeeds or is dead-lettered. */
    private final Map<RecordPosition, RecordFailure> failedRecords = new ConcurrentHashMap<>();
    private final AtomicLong deadLettered = new AtomicLong();

    PoisonRecords(String jobName) {
        this.jobName = jobName;
    }

    /** Where the records that failed {@value #MAX_RECORD_ATTEMPTS} times go: {@code <job>.DLT}. */
    String deadLetterTopic() {
        return DeadLetters.topicFor(jobName);
    }

    /**
     * Notes a failed attempt at {@code record} (the caller discards the state it changed) and returns the exception
     * to throw, naming the record. After {@value #MAX_RECORD_ATTEMPTS} attempts the record is poison.
     */
    RecordFailedException recordFailed(InputRecord record, RuntimeException cause) {
        String error = cause.toString();
        RecordFailure failure = failedRecords.merge(RecordPosition.of(record), new RecordFailure(1, error),
                (old, fresh) -> new RecordFailure(old.attempts() + 1, error));
        return new RecordFailedException(record.topic(), record.partition(), record.offset(), failure.attempts(),
                cause);
    }

    /** Whether the record failed often enough to go to the dead-letter topic instead of the job. */
    boolean isPoison(InputRecord record) {
        if (failedRecords.isEmpty()) {
            return false;
        }
        RecordFailure failure = failedRecords.get(RecordPosition.of(record));
        return failure != null && failure.attempts() >= MAX_RECORD_ATTEMPTS;
    }

    /**
     * The dead letter of a poison record: the record as it was read (key, value, timestamp, headers) plus the
     * {@link DeadLetters} headers. Call {@link #deadLettered} once it is sent.
     */
    ProducerRecord<byte[], byte[]> deadLetter(InputRecord record) {
        RecordFailure failure = failedRecords.get(RecordPosition.of(record));
        List<org.apache.kafka.common.header.Header> headers = new ArrayList<>(record.headers().size() + 4);
        for (Header header : record.headers()) {
            headers.add(new RecordHeader(header.key(), header.value()));
        }
        headers.add(new RecordHeader(DeadLetters.ERROR_MESSAGE,
                (failure == null ? "" : failure.lastError()).getBytes(StandardCharsets.UTF_8)));
        headers.add(new RecordHeader(DeadLetters.ORIGINAL_TOPIC, record.topic().getBytes(StandardCharsets.UTF_8)));
        headers.add(new RecordHeader(DeadLetters.ORIGINAL_PARTITION,
                Integer.toString(record.partition()).getBytes(StandardCharsets.UTF_8)));
        headers.add(new RecordHeader(DeadLetters.ORIGINAL_OFFSET,
                Long.toString(record.offset()).getBytes(StandardCharsets.UTF_8)));
        return new ProducerRecord<>(deadLetterTopic(), null, record.timestampMs(), record.key(), record.value(),
                headers);
    }

    /** Forgets the record's failures once its dead letter is sent, and counts it. */
    void deadLettered(InputRecord record) {
        failedRecords.remove(RecordPosition.of(record));
        deadLettered.incrementAndGet();
        LOG.warning(() -> "HEARTH-1007 Job " + jobName + " sent record " + record.topic() + "-" + record.partition()
                + "@" + record.offset() + " to " + deadLetterTopic() + " after " + MAX_RECORD_ATTEMPTS
                + " failed attempts");
    }

    /** Records dead-lettered since this instance was created. */
    long deadLetteredCount() {
        return deadLettered.get();
    }

    private record RecordPosition(String topic, int partition, long offset) {
        static RecordPosition of(InputRecord record) {
            return new RecordPosition(record.topic(), record.partition(), record.offset());
        }
    }

    private record RecordFailure(int attempts, String lastError) {
    }

    /** An attempt at one input record threw; its state changes must be discarded and the record attempted again. */
    static final class RecordFailedException extends RuntimeException {
        private final int attempts;

        RecordFailedException(String topic, int partition, long offset, int attempts, RuntimeException cause) {
            super("Record " + topic + "-" + partition + "@" + offset + " failed (attempt " + attempts + " of "
                    + MAX_RECORD_ATTEMPTS + "): " + cause, cause);
            this.attempts = attempts;
        }

        int attempts() {
            return attempts;
        }
    }
}
