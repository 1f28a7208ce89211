package dev.hearth.engine.internal;

/**
 * Told after every append, on the appending thread: must return quickly (e.g. wake parked long-poll fetches).
 */
@FunctionalInterface
public interface AppendListener {

    void onAppend(String topic, int partition, long logEndOffset);
}
