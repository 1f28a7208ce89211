package dev.hearth.engine;

import org.apache.kafka.common.record.TimestampType;

/** Kafka's {@code message.timestamp.type}: whose clock stamps a record. */
public enum MessageTimestampType {
    /** The producer's timestamp is kept as sent. */
    CREATE_TIME("CreateTime", TimestampType.CREATE_TIME),
    /** The broker overwrites each batch's timestamp with its own clock at append. */
    LOG_APPEND_TIME("LogAppendTime", TimestampType.LOG_APPEND_TIME);

    private final String configValue;
    private final TimestampType kafkaType;

    MessageTimestampType(String configValue, TimestampType kafkaType) {
        this.configValue = configValue;
        this.kafkaType = kafkaType;
    }

    public String configValue() {
        return configValue;
    }

    public TimestampType kafkaType() {
        return kafkaType;
    }

    public static MessageTimestampType parse(String value) {
        for (MessageTimestampType type : values()) {
            if (type.configValue.equals(value.trim())) {
                return type;
            }
        }
        throw new InvalidConfigException(
                "message.timestamp.type must be 'CreateTime' or 'LogAppendTime', not '" + value + "'");
    }
}
