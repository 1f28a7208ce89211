package dev.hearth.job.exec;

import dev.hearth.job.api.Serde;

/**
 * Serializes records to a sink or repartition topic, partitioned by key. The record timestamp is the event time,
 * so a downstream stage sees the same event times. Records to a repartition topic carry their
 * {@link SourcePosition}. Confined to the task's thread.
 */
final class SinkProcessor implements Processor {
    private final String topic;
    private final Serde<Object> keySerde;
    private final Serde<Object> valueSerde;
    private final TaskContext context;
    private final boolean repartition;  // an internal repartition topic: records carry their SourcePosition

    SinkProcessor(String topic, Serde<Object> keySerde, Serde<Object> valueSerde, boolean repartition,
                  TaskContext context) {
        this.topic = topic;
        this.repartition = repartition;
        this.keySerde = keySerde;
        this.valueSerde = valueSerde;
        this.context = context;
    }

    @Override
    public void process(Object key, Object value, long timestampMs) {
        if (repartition) {
            context.sendRepartition(topic, keySerde.serialize(key), valueSerde.serialize(value), timestampMs);
        } else {
            context.send(topic, keySerde.serialize(key), valueSerde.serialize(value), timestampMs);
        }
    }
}
