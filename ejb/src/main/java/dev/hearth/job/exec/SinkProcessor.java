package dev.hearth.job.exec;

import dev.hearth.job.api.Serde;

/**
 * Serializes records to a sink or repartition topic, partitioned by key. The record timestamp is the event time,
 * so a downstream stage sees the same event times. Confined to the task's thread.
 */
final class SinkProcessor implements Processor {
    private final String topic;
    private final Serde<Object> keySerde;
    private final Serde<Object> valueSerde;
    private final TaskContext context;

    SinkProcessor(String topic, Serde<Object> keySerde, Serde<Object> valueSerde, TaskContext context) {
        this.topic = topic;
        this.keySerde = keySerde;
        this.valueSerde = valueSerde;
        this.context = context;
    }

    @Override
    public void process(Object key, Object value, long timestampMs) {
        context.send(topic, keySerde.serialize(key), valueSerde.serialize(value), timestampMs);
    }
}
