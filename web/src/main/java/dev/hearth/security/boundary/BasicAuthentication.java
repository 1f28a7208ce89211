package dev.hearth.security.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanism;
import jakarta.security.enterprise.authentication.mechanism.http.HttpMessageContext;
import jakarta.security.enterprise.credential.Password;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStoreHandler;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.hearth.security.control.BasicCredentials;

/**
 * HTTP Basic (realm {@code hearth}) against the {@link ConfigIdentityStore}, in place of the container's Basic
 * mechanism, which fails with a 500 on a malformed header. No URL is a protected web resource, so this mechanism
 * never answers by itself: valid credentials establish the caller; missing, malformed or wrong ones leave the
 * request anonymous, with the reason in the request attribute {@link #CREDENTIALS_PROBLEM}, and
 * {@link ApiAuthorization} answers {@code /api} calls with a 401 problem that gives it. Console files,
 * {@code /health}, {@code /metrics} and {@code /openapi} stay open. Stateless, so thread-safe.
 */
@ApplicationScoped
public class BasicAuthentication implements HttpAuthenticationMechanism {

    /** Request attribute: why the Authorization header established no caller, fit for a problem detail. */
    public static final String CREDENTIALS_PROBLEM = BasicAuthentication.class.getName() + ".problem";

    @Inject
    IdentityStoreHandler identityStores;

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
        CredentialValidationResult result = identityStores.validate(
                new UsernamePasswordCredential(credentials.user(), new Password(credentials.password())));
        if (result.getStatus() == CredentialValidationResult.Status.VALID) {
            return context.notifyContainerAboutLogin(result);
        }
        request.setAttribute(CREDENTIALS_PROBLEM, "the user name or password is wrong");
        return context.doNothing();
    }
}
