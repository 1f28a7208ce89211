package dev.hearth.job.api;

/**
 * A key and a value, as returned by {@link Stream#map} and {@link Stream#flatMap}. Either may be {@code null}.
 */
public record KeyValue<K, V>(K key, V value) {

    public static <K, V> KeyValue<K, V> of(K key, V value) {
        return new KeyValue<>(key, value);
    }
}
