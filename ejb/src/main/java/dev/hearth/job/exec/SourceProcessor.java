package dev.hearth.job.exec;

import dev.hearth.job.api.EventTimeExtractor;
import dev.hearth.job.api.Serde;

/**
 * Entry of a stream or repartition topic into a task: deserializes and pushes the record into the operators.
 * Confined to the task's thread.
 */
final class SourceProcessor extends ForwardingProcessor {
    private final Serde<Object> keySerde;
    private final Serde<Object> valueSerde;
    private final EventTimeExtractor<Object, Object> eventTime; // null: the record timestamp is the event time

    SourceProcessor(Serde<Object> keySerde, Serde<Object> valueSerde, EventTimeExtractor<Object, Object> eventTime) {
        this.keySerde = keySerde;
        this.valueSerde = valueSerde;
        this.eventTime = eventTime;
    }

    /** Pushes the record through the stage; returns its event time, for the watermark. */
    long accept(InputRecord record) {
        Object key = keySerde.deserialize(record.key());
        Object value = valueSerde.deserialize(record.value());
        forward(key, value, record.timestampMs());
        return eventTime == null ? record.timestampMs() : eventTime.extract(key, value, record.timestampMs());
    }

    @Override
    public void process(Object key, Object value, long timestampMs) {
        forward(key, value, timestampMs);
    }
}
