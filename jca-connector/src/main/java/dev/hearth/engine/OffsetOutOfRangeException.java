package dev.hearth.engine;

/** A read asked for an offset outside [logStartOffset, logEndOffset]; carries both so callers can reset. */
public class OffsetOutOfRangeException extends HearthException {

    private final long requestedOffset;
    private final long logStartOffset;
    private final long logEndOffset;

    public OffsetOutOfRangeException(String topic, int partition, long requestedOffset, long logStartOffset,
                                     long logEndOffset) {
        super("Offset " + requestedOffset + " is out of range for " + topic + "-" + partition
                + ": valid offsets are " + logStartOffset + " to " + logEndOffset);
        this.requestedOffset = requestedOffset;
        this.logStartOffset = logStartOffset;
        this.logEndOffset = logEndOffset;
    }

    public long requestedOffset() {
        return requestedOffset;
    }

    public long logStartOffset() {
        return logStartOffset;
    }

    public long logEndOffset() {
        return logEndOffset;
    }
}
