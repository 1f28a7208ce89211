package dev.hearth.connector.api;

/**
 * Hearth's one dead-letter contract, shared by message-driven beans ({@code HearthRecordListener},
 * {@code HearthBatchListener}) and stream jobs: where a record goes after its last failed attempt, and the headers
 * that say where it came from and why it failed. Applications that read dead letters compile against these names.
 *
 * <p>Topic: {@code <name>.DLT}, the Kafka ecosystem's convention (Spring for Apache Kafka's
 * {@code DeadLetterPublishingRecoverer} publishes to {@code <topic>.DLT}). For a message-driven bean the name is the
 * record's source topic (unless activation property {@code deadLetterTopic} names another topic); for a stream job,
 * which reads several topics, it is the job's name.
 *
 * <p>Headers, all UTF-8 text, added to the record's own headers (key, value and timestamp are kept):
 * <ul>
 *   <li>{@link #ORIGINAL_TOPIC}, {@link #ORIGINAL_PARTITION}, {@link #ORIGINAL_OFFSET}: where the record was read
 *       (partition and offset in decimal);</li>
 *   <li>{@link #ERROR_MESSAGE}: the last attempt's error;</li>
 *   <li>{@link #ERROR_CLASS}, {@link #ERROR_STACKTRACE}: the root cause's class name and stack trace, from
 *       message-driven beans only (a stream job keeps its error as text).</li>
 * </ul>
 *
 * <p>Constants only; thread-safe.
 */
public final class DeadLetters {

    /** Appended to the source topic's (or job's) name. */
    public static final String TOPIC_SUFFIX = ".DLT";

    public static final String ORIGINAL_TOPIC = "hearth.dlt.original.topic";
    public static final String ORIGINAL_PARTITION = "hearth.dlt.original.partition";
    public static final String ORIGINAL_OFFSET = "hearth.dlt.original.offset";
    public static final String ERROR_CLASS = "hearth.dlt.error.class";
    public static final String ERROR_MESSAGE = "hearth.dlt.error.message";
    public static final String ERROR_STACKTRACE = "hearth.dlt.error.stacktrace";

    private DeadLetters() {
    }

    /** The default dead-letter topic of a source topic (message-driven beans) or of a stream job. */
    public static String topicFor(String name) {
        return name + TOPIC_SUFFIX;
    }
}
