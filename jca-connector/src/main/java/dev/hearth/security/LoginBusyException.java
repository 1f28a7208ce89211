package dev.hearth.security;

/**
 * Every slot for checking a password with PBKDF2 is taken, so this login was not checked; the client may retry
 * after {@link #retryAfterSeconds}. Bounds the CPU that logins can take instead of letting a burst of attempts
 * stall every request (HTTP answers 429, the Kafka listener an authentication failure).
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
