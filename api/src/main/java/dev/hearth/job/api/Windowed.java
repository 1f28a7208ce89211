package dev.hearth.job.api;

import java.util.Objects;

/**
 * The key of a windowed aggregate: the grouping key and the window it was computed over.
 * <p>
 * For tumbling and hopping windows the window is the half-open interval {@code [startMs, endMs)}.
 * For session windows {@code startMs} and {@code endMs} are the event times of the first and the last record
 * of the session (both inclusive).
 */
public record Windowed<K>(K key, long startMs, long endMs) {

    public Windowed {
        Objects.requireNonNull(key, "key");
        if (endMs < startMs) {
            throw new IllegalArgumentException("window end " + endMs + " before start " + startMs);
        }
    }
}
