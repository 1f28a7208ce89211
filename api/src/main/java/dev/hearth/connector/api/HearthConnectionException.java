package dev.hearth.connector.api;

import java.util.Map;

/**
 * A failed connection call. {@link #error()} says what kind; {@link #details()} carries recovery data
 * (e.g. {@code logStartOffset} and {@code logEndOffset} for {@link HearthError#OFFSET_OUT_OF_RANGE}).
 */
@jakarta.ejb.ApplicationException(rollback = true)
public class HearthConnectionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final HearthError error;
    private final Map<String, Object> details;

    public HearthConnectionException(HearthError error, String message, Map<String, Object> details) {
        super(message);
        this.error = error;
        this.details = Map.copyOf(details);
    }

    public HearthError error() {
        return error;
    }

    public Map<String, Object> details() {
        return details;
    }
}
