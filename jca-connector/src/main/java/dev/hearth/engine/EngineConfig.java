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
 */
public record EngineConfig(Path dataDir, FlushPolicy flushPolicy, TopicConfig topicDefaults, int indexIntervalBytes,
                           long fileDeleteDelayMs, long retentionCheckIntervalMs) {

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
    }

    public static EngineConfig defaults(Path dataDir) {
        return new EngineConfig(dataDir, FlushPolicy.EVERY_APPEND, TopicConfig.DEFAULTS, 4096, 60_000, 30_000);
    }

    public EngineConfig withFlushPolicy(FlushPolicy policy) {
        return new EngineConfig(dataDir, policy, topicDefaults, indexIntervalBytes, fileDeleteDelayMs,
                retentionCheckIntervalMs);
    }

    public EngineConfig withTopicDefaults(TopicConfig defaults) {
        return new EngineConfig(dataDir, flushPolicy, defaults, indexIntervalBytes, fileDeleteDelayMs,
                retentionCheckIntervalMs);
    }

    public EngineConfig withRetentionCheckIntervalMs(long intervalMs) {
        return new EngineConfig(dataDir, flushPolicy, topicDefaults, indexIntervalBytes, fileDeleteDelayMs,
                intervalMs);
    }

    public EngineConfig withFileDeleteDelayMs(long delayMs) {
        return new EngineConfig(dataDir, flushPolicy, topicDefaults, indexIntervalBytes, delayMs,
                retentionCheckIntervalMs);
    }
}
