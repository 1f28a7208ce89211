package dev.hearth.engine;

/** A topic of that name exists already. */
public class TopicExistsException extends HearthException {

    public TopicExistsException(String message) {
        super(message);
    }
}
