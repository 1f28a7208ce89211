package dev.hearth.job.exec;

/**
 * A changelog record read back on restore, in offset order, from the task's partition of one of its stage's
 * changelog topics.
 *
 * @param topic the changelog topic, which names the store
 * @param key   the store's key bytes
 * @param value the store's value bytes, {@code null} for a delete (tombstone)
 */
public record ChangelogRecord(String topic, byte[] key, byte[] value) {
}
