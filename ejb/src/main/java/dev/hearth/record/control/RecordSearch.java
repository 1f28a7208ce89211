package dev.hearth.record.control;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.hearth.connector.api.HearthConnection;
import dev.hearth.connector.api.HearthConnectionException;
import dev.hearth.connector.api.HearthError;
import dev.hearth.connector.api.HearthRecord;
import dev.hearth.connector.api.PartitionDescription;
import dev.hearth.connector.api.TopicDescription;

/**
 * A bounded scan of a topic for records whose key or value contains a text (as UTF-8 bytes, case-sensitive), for the
 * console's message search. The bound is what makes it safe to offer over HTTP: at most {@code maxScannedRecords}
 * records are read in all, in chunks of {@link #CHUNK_RECORDS}, and the scan stops at {@code maxMatches}; partitions
 * are scanned one after the other, each from its start (or the first record at or after {@code fromTimestampMs}) up
 * to its log end offset as described when the scan began, so records produced meanwhile are not chased. The result
 * says where each partition's scan stopped, so a caller can continue from there. Immutable; thread-safe.
 *
 * @param text              the bytes looked for, as text; never empty
 * @param partition         the one partition to scan, or null for every partition
 * @param fromTimestampMs   epoch milliseconds to start at, or null for each partition's log start offset
 * @param maxScannedRecords the most records read in all
 * @param maxMatches        the most matching records answered
 */
public record RecordSearch(String text, Integer partition, Long fromTimestampMs, int maxScannedRecords, int maxMatches) {

    /** Records read per request to the log; with {@link #CHUNK_BYTES}, bounds the memory one scan holds at once. */
    static final int CHUNK_RECORDS = 500;
    /** Bytes read per request to the log at most. */
    static final int CHUNK_BYTES = 1 << 20;

    public RecordSearch {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("the text searched for must not be empty");
        }
        if (maxScannedRecords < 1 || maxMatches < 1) {
            throw new IllegalArgumentException("the scan and match limits must be positive");
        }
    }

    /**
     * What a scan found.
     *
     * @param matches         matching records, partition by partition, in offset order
     * @param scannedRecords  how many records were read
     * @param nextOffsets     per partition concerned, the offset its scan would continue from
     * @param complete        whether every partition concerned was scanned to its log end offset
     */
    public record Result(List<HearthRecord> matches, long scannedRecords, Map<Integer, Long> nextOffsets, boolean complete) {
    }

    /** Scans {@code topic}; UNKNOWN_TOPIC_OR_PARTITION (from the connection) for a topic or partition that does not exist. */
    public Result scan(HearthConnection connection, String topic) {
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        TopicDescription description = connection.describeTopic(topic);
        List<PartitionDescription> partitions = description.partitions().stream()
                .filter(p -> partition == null || p.partition() == partition)
                .toList();
        if (partitions.isEmpty()) {
            throw new HearthConnectionException(HearthError.UNKNOWN_TOPIC_OR_PARTITION, "Topic '" + topic
                    + "' has no partition " + partition, Map.of("topic", topic, "partition", partition));
        }
        List<HearthRecord> matches = new ArrayList<>();
        Map<Integer, Long> nextOffsets = new LinkedHashMap<>();
        long scanned = 0;
        boolean complete = true;
        for (PartitionDescription p : partitions) {
            long next = p.logStartOffset();
            if (fromTimestampMs != null) {
                next = Math.max(next, connection.offsetForTimestamp(topic, p.partition(), fromTimestampMs).orElse(p.logEndOffset()));
            }
            while (next < p.logEndOffset() && scanned < maxScannedRecords && matches.size() < maxMatches) {
                int chunk = (int) Math.min(CHUNK_RECORDS, maxScannedRecords - scanned);
                List<HearthRecord> records = connection.read(topic, p.partition(), next, chunk, CHUNK_BYTES);
                if (records.isEmpty()) {
                    // Nothing readable before the end (e.g. only control batches left): the partition is done.
                    next = p.logEndOffset();
                    break;
                }
                for (HearthRecord record : records) {
                    if (record.offset() >= p.logEndOffset()) {
                        // A gap (compaction) up to the end as described: nothing left before it.
                        next = p.logEndOffset();
                        break;
                    }
                    if (scanned >= maxScannedRecords || matches.size() >= maxMatches) {
                        break;
                    }
                    scanned++;
                    next = record.offset() + 1;
                    if (contains(record.key(), needle) || contains(record.value(), needle)) {
                        matches.add(record);
                    }
                }
            }
            nextOffsets.put(p.partition(), next);
            complete &= next >= p.logEndOffset();
        }
        return new Result(List.copyOf(matches), scanned, nextOffsets, complete);
    }

    /** Whether {@code haystack} (null for an absent key or value) contains {@code needle}. */
    static boolean contains(byte[] haystack, byte[] needle) {
        if (haystack == null || haystack.length < needle.length) {
            return false;
        }
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
