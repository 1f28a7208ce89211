package dev.hearth.engine;

import java.nio.file.Path;

/**
 * Settings of one engine instance.
 *
 * @param dataDir              root of everything the engine writes
 * @param flushPolicy          when appends reach the disk
 * @param topicDefaults        configuration of topics created without overrides
 * @param indexIntervalBytes   bytes of log between two sparse index entries
 * @param fileDeleteDelayMs    how long a deleted segment's files stay open for readers that still hold views
 * @param retentionCheckIntervalMs how often retention runs
 * @param compactionIntervalMs least time between two cleaning passes over the compacted topics
 * @param compactionMaxMapEntries most distinct keys one partition's cleaning pass maps; the rest of its dirty
 *                             records wait for the next pass (bounds the cleaner's memory: about 40 bytes a key)
 * @param maxPartitions        {@code hearth.max.partitions.per.broker}: most partitions of all topics together,
 *                             internal ones included; a creation that would exceed it is refused whole
 */
public record EngineConfig(Path dataDir, FlushPolicy flushPolicy, TopicConfig topicDefaults, int indexIntervalBytes,
                           long fileDeleteDelayMs, long retentionCheckIntervalMs, long compactionIntervalMs,
                           int compactionMaxMapEntries, int maxPartitions) {

    public static final long DEFAULT_COMPACTION_INTERVAL_MS = 30_000;
    public static final int DEFAULT_COMPACTION_MAX_MAP_ENTRIES = 1 << 20;
    /**
     * Default of {@link #maxPartitions}. Each partition is a directory, one open file descriptor at least (its
     * active segment's log; index files are opened only while written) plus one per older segment, and a few
     * KiB of heap; 10,000 keeps an idle broker well inside the usual 65,536-descriptor limit with room for
     * connections, and matches the largest topic {@link dev.hearth.engine.log.LogEngine#MAX_PARTITIONS_PER_TOPIC}.
     */
    public static final int DEFAULT_MAX_PARTITIONS = 10_000;

    public EngineConfig {
        if (dataDir == null) {
            throw new InvalidConfigException("hearth.data.dir is required");
        }
        if (indexIntervalBytes < 1) {
            throw new InvalidConfigException("index interval must be positive, not " + indexIntervalBytes);
        }
        if (fileDeleteDelayMs < 0 || retentionCheckIntervalMs < 1) {
            throw new InvalidConfigException("file delete delay must be >= 0 and retention check interval > 0");
        }
        if (maxPartitions < 1) {
            throw new InvalidConfigException("hearth.max.partitions.per.broker must be positive, not " + maxPartitions);
        }
        if (compactionIntervalMs < 1 || compactionMaxMapEntries < 1) {
            throw new InvalidConfigException("compaction interval and map entries must be positive, not "
                    + compactionIntervalMs + " and " + compactionMaxMapEntries);
        }
    }

    /** The settings without the compaction ones, which take their defaults. */
    public EngineConfig(Path dataDir, FlushPolicy flushPolicy, TopicConfig topicDefaults, int indexIntervalBytes,
                        long fileDeleteDelayMs, long retentionCheckIntervalMs) {
        this(dataDir, flushPolicy, topicDefaults, indexIntervalBytes, fileDeleteDelayMs, retentionCheckIntervalMs,
                DEFAULT_COMPACTION_INTERVAL_MS, DEFAULT_COMPACTION_MAX_MAP_ENTRIES, DEFAULT_MAX_PARTITIONS);
    }

    public EngineConfig withCompaction(long intervalMs, int maxMapEntries) {
        return new EngineConfig(dataDir, flushPolicy, topicDefaults, indexIntervalBytes, fileDeleteDelayMs,
                retentionCheckIntervalMs, intervalMs, maxMapEntries, maxPartitions);
    }

    public static EngineConfig defaults(Path dataDir) {
        return new EngineConfig(dataDir, FlushPolicy.EVERY_APPEND, TopicConfig.DEFAULTS, 4096, 60_000, 30_000);
    }

    public EngineConfig withFlushPolicy(FlushPolicy policy) {
        return new EngineConfig(dataDir, policy, topicDefaults, indexIntervalBytes, fileDeleteDelayMs,
                retentionCheckIntervalMs, compactionIntervalMs, compactionMaxMapEntries, maxPartitions);
    }

    public EngineConfig withTopicDefaults(TopicConfig defaults) {
        return new EngineConfig(dataDir, flushPolicy, defaults, indexIntervalBytes, fileDeleteDelayMs,
                retentionCheckIntervalMs, compactionIntervalMs, compactionMaxMapEntries, maxPartitions);
    }

    public EngineConfig withRetentionCheckIntervalMs(long intervalMs) {
        return new EngineConfig(dataDir, flushPolicy, topicDefaults, indexIntervalBytes, fileDeleteDelayMs,
                intervalMs, compactionIntervalMs, compactionMaxMapEntries, maxPartitions);
    }

    public EngineConfig withFileDeleteDelayMs(long delayMs) {
        return new EngineConfig(dataDir, flushPolicy, topicDefaults, indexIntervalBytes, delayMs,
                retentionCheckIntervalMs, compactionIntervalMs, compactionMaxMapEntries, maxPartitions);
    }

    public EngineConfig withMaxPartitions(int partitions) {
        return new EngineConfig(dataDir, flushPolicy, topicDefaults, indexIntervalBytes, fileDeleteDelayMs,
                retentionCheckIntervalMs, compactionIntervalMs, compactionMaxMapEntries, partitions);
    }
}
