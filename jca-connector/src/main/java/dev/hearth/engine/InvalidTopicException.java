package dev.hearth.engine;

/** The topic name breaks Kafka's naming rules. */
public class InvalidTopicException extends HearthException {

    public InvalidTopicException(String message) {
        super(message);
    }
}
