package dev.hearth.platform.rest;

import jakarta.ws.rs.BadRequestException;

/**
 * A request Hearth rejects before calling into the log: a 400 problem rendered by
 * {@link WebApplicationErrorMapper}. Its message is the problem's {@code detail}, so it must say what is wrong
 * with the request in the client's terms and carry no internals (no Java class names, paths or stack traces).
 */
public class BadRequest extends BadRequestException {

    private static final long serialVersionUID = 1L;

    /** The problem type's last path segment. */
    private final String kind;
    private final String title;

    public BadRequest(String detail) {
        this("bad-request", "Bad Request", detail, null);
    }

    /**
     * @param kind  the problem type's last path segment, e.g. {@code malformed-json}
     * @param cause logged with the problem, never shown to the client
     */
    public BadRequest(String kind, String title, String detail, Throwable cause) {
        super(detail, cause);
        this.kind = kind;
        this.title = title;
    }

    public String kind() {
        return kind;
    }

    public String title() {
        return title;
    }
}
