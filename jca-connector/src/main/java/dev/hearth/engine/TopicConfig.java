package dev.hearth.engine;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Per-topic settings, named and valued as Kafka's topic configs so that Kafka's admin tools understand them.
 * Immutable; an alter produces a new instance.
 *
 * @param retentionMs          age after which a closed segment is deleted; -1 keeps data forever
 * @param retentionBytes       size a partition may reach before its oldest closed segments are deleted; -1 = no limit
 * @param segmentBytes         size at which the active segment is rolled
 * @param segmentMs            age at which a non-empty active segment is rolled
 * @param cleanupPolicy        what retention does to old data
 * @param maxMessageBytes      largest record batch accepted, in bytes
 * @param messageTimestampType whose clock stamps records
 * @param deleteRetentionMs    how long a tombstone (null value) of a compacted topic outlives the clean of its
 *                             segment, so that readers behind the head still see the delete
 * @param minCleanableDirtyRatio share (0..1) of a compacted log's closed bytes not yet cleaned above which it is
 *                             cleaned
 * @param principalHeader      Hearth's own {@value #PRINCIPAL_HEADER}: the name of a record header that the Kafka
 *                             listener stamps on every record produced to the topic, its value the producing
 *                             principal ({@code User:alice}, UTF-8), replacing any header of that name the client
 *                             sent; empty (the default) stamps nothing
 */
public record TopicConfig(long retentionMs, long retentionBytes, int segmentBytes, long segmentMs,
                          CleanupPolicy cleanupPolicy, int maxMessageBytes,
                          MessageTimestampType messageTimestampType, long deleteRetentionMs,
                          double minCleanableDirtyRatio, String principalHeader) {

    public static final String RETENTION_MS = "retention.ms";
    public static final String RETENTION_BYTES = "retention.bytes";
    public static final String SEGMENT_BYTES = "segment.bytes";
    public static final String SEGMENT_MS = "segment.ms";
    public static final String CLEANUP_POLICY = "cleanup.policy";
    public static final String MAX_MESSAGE_BYTES = "max.message.bytes";
    public static final String MESSAGE_TIMESTAMP_TYPE = "message.timestamp.type";
    public static final String DELETE_RETENTION_MS = "delete.retention.ms";
    public static final String MIN_CLEANABLE_DIRTY_RATIO = "min.cleanable.dirty.ratio";
    public static final String PRINCIPAL_HEADER = "hearth.principal.header";
    /** The longest header name {@value #PRINCIPAL_HEADER} may give. */
    static final int MAX_HEADER_NAME_LENGTH = 255;

    /** Kafka's defaults of the compaction settings. */
    public static final long DEFAULT_DELETE_RETENTION_MS = 24L * 3600 * 1000;
    public static final double DEFAULT_MIN_CLEANABLE_DIRTY_RATIO = 0.5;

    /** Every key a topic accepts; anything else is rejected rather than silently ignored. */
    public static final Set<String> KEYS = Set.of(RETENTION_MS, RETENTION_BYTES, SEGMENT_BYTES, SEGMENT_MS,
            CLEANUP_POLICY, MAX_MESSAGE_BYTES, MESSAGE_TIMESTAMP_TYPE, DELETE_RETENTION_MS, MIN_CLEANABLE_DIRTY_RATIO,
            PRINCIPAL_HEADER);

    /** Kafka's broker defaults. */
    public static final TopicConfig DEFAULTS = new TopicConfig(7L * 24 * 3600 * 1000, -1, 1024 * 1024 * 1024,
            7L * 24 * 3600 * 1000, CleanupPolicy.DELETE, 1024 * 1024 + 12, MessageTimestampType.CREATE_TIME,
            DEFAULT_DELETE_RETENTION_MS, DEFAULT_MIN_CLEANABLE_DIRTY_RATIO);

    /** The smallest segment that still holds one batch header; smaller values are configuration mistakes. */
    private static final int MIN_SEGMENT_BYTES = 1024;

    public TopicConfig {
        if (retentionMs < -1) {
            throw new InvalidConfigException(RETENTION_MS + " must be -1 or at least 0, not " + retentionMs);
        }
        if (retentionBytes < -1) {
            throw new InvalidConfigException(RETENTION_BYTES + " must be -1 or at least 0, not " + retentionBytes);
        }
        if (segmentBytes < MIN_SEGMENT_BYTES) {
            throw new InvalidConfigException(SEGMENT_BYTES + " must be at least " + MIN_SEGMENT_BYTES + ", not " + segmentBytes);
        }
        if (segmentMs < 1) {
            throw new InvalidConfigException(SEGMENT_MS + " must be at least 1, not " + segmentMs);
        }
        if (maxMessageBytes < 0) {
            throw new InvalidConfigException(MAX_MESSAGE_BYTES + " must not be negative, not " + maxMessageBytes);
        }
        if (cleanupPolicy == null || messageTimestampType == null) {
            throw new InvalidConfigException(CLEANUP_POLICY + " and " + MESSAGE_TIMESTAMP_TYPE + " are required");
        }
        if (deleteRetentionMs < 0) {
            throw new InvalidConfigException(DELETE_RETENTION_MS + " must not be negative, not " + deleteRetentionMs);
        }
        if (!(minCleanableDirtyRatio >= 0 && minCleanableDirtyRatio <= 1)) {
            throw new InvalidConfigException(MIN_CLEANABLE_DIRTY_RATIO + " must be between 0 and 1, not "
                    + minCleanableDirtyRatio);
        }
        if (principalHeader == null || principalHeader.length() > MAX_HEADER_NAME_LENGTH
                || principalHeader.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidConfigException(PRINCIPAL_HEADER + " must be a header name of at most "
                    + MAX_HEADER_NAME_LENGTH + " characters without control characters, or empty");
        }
    }

    /** The settings without a principal header. */
    public TopicConfig(long retentionMs, long retentionBytes, int segmentBytes, long segmentMs,
                       CleanupPolicy cleanupPolicy, int maxMessageBytes, MessageTimestampType messageTimestampType,
                       long deleteRetentionMs, double minCleanableDirtyRatio) {
        this(retentionMs, retentionBytes, segmentBytes, segmentMs, cleanupPolicy, maxMessageBytes, messageTimestampType,
                deleteRetentionMs, minCleanableDirtyRatio, "");
    }

    /** The settings without the compaction ones, which take Kafka's defaults. */
    public TopicConfig(long retentionMs, long retentionBytes, int segmentBytes, long segmentMs,
                       CleanupPolicy cleanupPolicy, int maxMessageBytes, MessageTimestampType messageTimestampType) {
        this(retentionMs, retentionBytes, segmentBytes, segmentMs, cleanupPolicy, maxMessageBytes, messageTimestampType,
                DEFAULT_DELETE_RETENTION_MS, DEFAULT_MIN_CLEANABLE_DIRTY_RATIO);
    }

    /** This configuration with the given Kafka-named overrides applied; unknown keys and bad values are rejected. */
    public TopicConfig with(Map<String, String> overrides) {
        long retention = retentionMs;
        long retentionSize = retentionBytes;
        int segmentSize = segmentBytes;
        long segmentAge = segmentMs;
        CleanupPolicy policy = cleanupPolicy;
        int maxMessage = maxMessageBytes;
        MessageTimestampType timestampType = messageTimestampType;
        long deleteRetention = deleteRetentionMs;
        double dirtyRatio = minCleanableDirtyRatio;
        String header = principalHeader;
        for (Map.Entry<String, String> entry : overrides.entrySet()) {
            String value = entry.getValue();
            if (value == null) {
                throw new InvalidConfigException("Config " + entry.getKey() + " has no value");
            }
            switch (entry.getKey()) {
                case RETENTION_MS -> retention = parseLong(RETENTION_MS, value);
                case RETENTION_BYTES -> retentionSize = parseLong(RETENTION_BYTES, value);
                case SEGMENT_BYTES -> segmentSize = parseInt(SEGMENT_BYTES, value);
                case SEGMENT_MS -> segmentAge = parseLong(SEGMENT_MS, value);
                case CLEANUP_POLICY -> policy = CleanupPolicy.parse(value);
                case MAX_MESSAGE_BYTES -> maxMessage = parseInt(MAX_MESSAGE_BYTES, value);
                case MESSAGE_TIMESTAMP_TYPE -> timestampType = MessageTimestampType.parse(value);
                case DELETE_RETENTION_MS -> deleteRetention = parseLong(DELETE_RETENTION_MS, value);
                case MIN_CLEANABLE_DIRTY_RATIO -> dirtyRatio = parseDouble(MIN_CLEANABLE_DIRTY_RATIO, value);
                case PRINCIPAL_HEADER -> header = value.trim();
                default -> throw new InvalidConfigException("Unknown topic config '" + entry.getKey()
                        + "'; supported: " + String.join(", ", KEYS.stream().sorted().toList()));
            }
        }
        return new TopicConfig(retention, retentionSize, segmentSize, segmentAge, policy, maxMessage, timestampType,
                deleteRetention, dirtyRatio, header);
    }

    /** The full configuration as Kafka-named strings, the form stored on disk and shown to admin clients. */
    public Map<String, String> toMap() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put(CLEANUP_POLICY, cleanupPolicy.configValue());
        map.put(DELETE_RETENTION_MS, Long.toString(deleteRetentionMs));
        map.put(MAX_MESSAGE_BYTES, Integer.toString(maxMessageBytes));
        map.put(MESSAGE_TIMESTAMP_TYPE, messageTimestampType.configValue());
        map.put(MIN_CLEANABLE_DIRTY_RATIO, Double.toString(minCleanableDirtyRatio));
        map.put(RETENTION_BYTES, Long.toString(retentionBytes));
        map.put(RETENTION_MS, Long.toString(retentionMs));
        map.put(SEGMENT_BYTES, Integer.toString(segmentBytes));
        map.put(SEGMENT_MS, Long.toString(segmentMs));
        if (!principalHeader.isEmpty()) {
            map.put(PRINCIPAL_HEADER, principalHeader); // Hearth's own: shown only where set
        }
        return map;
    }

    private static long parseLong(String key, String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new InvalidConfigException(key + " must be a whole number, not '" + value + "'");
        }
    }

    private static double parseDouble(String key, String value) {
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new InvalidConfigException(key + " must be a number, not '" + value + "'");
        }
    }

    private static int parseInt(String key, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new InvalidConfigException(key + " must be a whole number below 2^31, not '" + value + "'");
        }
    }
}
