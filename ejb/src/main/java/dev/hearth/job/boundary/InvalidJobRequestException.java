package dev.hearth.job.boundary;

import jakarta.ejb.ApplicationException;

/** A job request that cannot be carried out as asked (an unknown output, missing source topics). */
@ApplicationException
public class InvalidJobRequestException extends RuntimeException {

    public InvalidJobRequestException(String message) {
        super(message);
    }
}
