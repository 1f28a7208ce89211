package dev.hearth.job.control;

import jakarta.ejb.ApplicationException;

/** A store query that cannot be answered as asked: a malformed key, range, limit or cursor. */
@ApplicationException
public class InvalidStoreQueryException extends RuntimeException {

    public InvalidStoreQueryException(String message) {
        super(message);
    }
}
