package dev.hearth.job.exec;

/**
 * A record header, as in Kafka: a string key and opaque bytes (may be {@code null}). The byte array is not copied;
 * neither side may mutate it after handing it over.
 */
public record Header(String key, byte[] value) {
}
