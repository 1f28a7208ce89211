package dev.hearth.platform.rest;

import jakarta.ws.rs.BadRequestException;

/** A request the resources reject before calling into Hearth; rendered by {@link WebApplicationErrorMapper}. */
public class BadRequest extends BadRequestException {

    private static final long serialVersionUID = 1L;

    public BadRequest(String detail) {
        super(detail);
    }
}
