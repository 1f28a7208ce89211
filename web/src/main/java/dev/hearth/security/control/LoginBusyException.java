package dev.hearth.security.control;

/**
 * Every slot for checking a password against its slow hash is taken, so this login was not checked; the
 * client may retry after {@link #retryAfterSeconds}. Bounds the CPU that logins can take (each check is
 * PBKDF2 with 600,000 iterations) instead of letting a burst of attempts stall every request.
 */
public class LoginBusyException extends RuntimeException {

    private final long retryAfterSeconds;

    public LoginBusyException(long retryAfterSeconds) {
        super("Too many logins are being checked at once; retry in " + retryAfterSeconds + " s");
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
