package dev.hearth.engine;

/** A topic or engine configuration value is unknown or out of range. */
public class InvalidConfigException extends HearthException {

    public InvalidConfigException(String message) {
        super(message);
    }
}
