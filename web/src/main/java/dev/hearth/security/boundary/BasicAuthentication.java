package dev.hearth.security.boundary;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanism;
import jakarta.security.enterprise.authentication.mechanism.http.HttpMessageContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.hearth.connector.api.HearthConnectionException;
import dev.hearth.connector.api.HearthError;
import dev.hearth.security.control.AccessControl;
import dev.hearth.security.control.BasicCredentials;
import dev.hearth.security.control.LoginThrottle;

/**
 * HTTP Basic (realm {@code hearth}) against Hearth's one user directory in the resource adapter (the SCRAM
 * credentials Kafka clients use too, checked through {@link AccessControl#authenticate}), in place of the
 * container's Basic mechanism, which fails with a 500 on a malformed header. No URL is a protected web resource, so this mechanism
 * never answers by itself: valid credentials establish the caller; missing, malformed or wrong ones leave the
 * request anonymous, with the reason in the request attribute {@link #CREDENTIALS_PROBLEM}, and
 * {@link ApiAuthorization} answers {@code /api} calls with a 401 problem that gives it. Console files,
 * {@code /health}, {@code /metrics} and {@code /openapi} stay open.
 *
 * <p>Failed logins cost the guesser, not the server: a client address past a few failures must wait (growing,
 * up to a minute) before its next attempt is checked at all ({@link LoginThrottle}), and a burst of new
 * passwords beyond the few that may be checked at once is refused ({@link HearthError#LOGIN_BUSY}); either way the
 * request is answered at once, 429 with Retry-After ({@link #RETRY_AFTER_SECONDS}), without a password check or a
 * sleeping thread. Thread-safe: the throttle is.
 */
@ApplicationScoped
public class BasicAuthentication implements HttpAuthenticationMechanism {

    public static final String REALM = "hearth";
    /** Request attribute: why the Authorization header established no caller, fit for a problem detail. */
    public static final String CREDENTIALS_PROBLEM = BasicAuthentication.class.getName() + ".problem";
    /** Request attribute: the login was not checked; seconds (a Long) the client should wait before retrying. */
    public static final String RETRY_AFTER_SECONDS = BasicAuthentication.class.getName() + ".retryAfter";

    private final LoginThrottle throttle = new LoginThrottle();

    @Inject
    AccessControl access;

    @Override
    public AuthenticationStatus validateRequest(HttpServletRequest request, HttpServletResponse response,
                                                HttpMessageContext context) {
        String header = request.getHeader("Authorization");
        if (header == null) {
            return context.doNothing();
        }
        BasicCredentials credentials;
        try {
            credentials = BasicCredentials.parse(header);
        } catch (IllegalArgumentException e) {
            request.setAttribute(CREDENTIALS_PROBLEM, e.getMessage());
            return context.doNothing();
        }
        String source = request.getRemoteAddr();
        OptionalLong waitMs = throttle.waitMs(source);
        if (waitMs.isPresent()) {
            return notChecked(request, context, "too many failed logins from this address",
                    (waitMs.getAsLong() + 999) / 1000);
        }
        Optional<String> principal;
        try {
            principal = access.authenticate(credentials.user(), credentials.password());
        } catch (HearthConnectionException e) {
            if (e.error() != HearthError.LOGIN_BUSY) {
                request.setAttribute(CREDENTIALS_PROBLEM, "the credentials could not be checked now ("
                        + e.error() + ")");
                return context.doNothing();
            }
            Object retryAfter = e.details().get("retryAfterSeconds");
            return notChecked(request, context, e.getMessage(),
                    retryAfter instanceof Number seconds ? seconds.longValue() : 1);
        }
        if (principal.isPresent()) {
            throttle.onSuccess(source);
            // The caller's name is the user name; ACL decisions use the principal User:<name>.
            return context.notifyContainerAboutLogin(credentials.user(), Set.of());
        }
        throttle.onFailure(source);
        request.setAttribute(CREDENTIALS_PROBLEM, "the user name or password is wrong");
        return context.doNothing();
    }

    private static AuthenticationStatus notChecked(HttpServletRequest request, HttpMessageContext context,
                                                   String reason, long retryAfterSeconds) {
        request.setAttribute(CREDENTIALS_PROBLEM, reason + "; the credentials were not checked, retry in "
                + retryAfterSeconds + " s");
        request.setAttribute(RETRY_AFTER_SECONDS, retryAfterSeconds);
        return context.doNothing();
    }
}
