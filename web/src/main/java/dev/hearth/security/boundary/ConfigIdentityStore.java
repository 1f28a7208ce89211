package dev.hearth.security.boundary;

import java.util.stream.Collectors;

import jakarta.annotation.security.DeclareRoles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.credential.Credential;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStore;

import dev.hearth.security.control.Role;
import dev.hearth.security.control.UserDirectory;

/**
 * Validates the user name and password that {@link BasicAuthentication} (realm {@code hearth}) takes from a
 * request against the {@link UserDirectory}; {@link ApiAuthorization} answers 401 and 403 as problems for
 * {@code /api}. Stateless, so thread-safe.
 */
@ApplicationScoped
@DeclareRoles({"admin", "producer", "consumer"})
public class ConfigIdentityStore implements IdentityStore {

    public static final String REALM = "hearth";

    @Inject
    UserDirectory users;

    @Override
    public CredentialValidationResult validate(Credential credential) {
        if (!(credential instanceof UsernamePasswordCredential basic) || !users.enabled()) {
            return CredentialValidationResult.NOT_VALIDATED_RESULT;
        }
        return users.authenticate(basic.getCaller(), basic.getPassword().getValue())
                .map(user -> new CredentialValidationResult(user.name(),
                        user.roles().stream().map(Role::groupName).collect(Collectors.toSet())))
                .orElse(CredentialValidationResult.INVALID_RESULT);
    }
}
