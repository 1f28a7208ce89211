package dev.hearth.engine;

/** No such topic, or the topic has fewer partitions. */
public class UnknownTopicOrPartitionException extends RetriableHearthException {

    public UnknownTopicOrPartitionException(String message) {
        super(message);
    }
}
