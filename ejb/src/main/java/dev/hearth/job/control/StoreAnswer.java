package dev.hearth.job.control;

import java.util.List;
import java.util.Map;

/**
 * What an interactive query of a job's store answers: rows read on this instance, or the instance to ask
 * instead. Immutable.
 */
public sealed interface StoreAnswer {

    /**
     * The partition asked for is held by another app-server instance of the job (on a Kafka cluster backend):
     * ask it, at {@code ownerUrl}, the REST base URL it advertises ({@code hearth.jobs.query.advertised.url}).
     */
    record Elsewhere(String ownerUrl, int partition) implements StoreAnswer {
    }

    /**
     * Rows in the order of the query (keys ascending for scans, window starts ascending for a key's windows).
     *
     * @param partitions          the partitions read, ascending
     * @param nextCursor          the cursor of the next page, {@code null} if there is none
     * @param partitionsElsewhere for a scan of every partition: those held by other instances, with their URL
     *                            (read them there with {@code partition=})
     */
    record Rows(List<Row> rows, List<Integer> partitions, String nextCursor, Map<Integer, String> partitionsElsewhere)
            implements StoreAnswer {
    }

    /**
     * One key's value, or one window (or session) of a key.
     *
     * @param key           the key in its store's key format ({@link QueryCodec.KeyFormat})
     * @param windowStartMs the window's start (inclusive) or the session's first record's time; null for a key-value
     *                      store
     * @param windowEndMs   the window's end (exclusive) or the session's last record's time (inclusive); null for a
     *                      key-value store
     */
    record Row(String key, Long windowStartMs, Long windowEndMs, QueryCodec.Value value) {
    }
}
