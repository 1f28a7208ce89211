package dev.hearth.security;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Function;

/**
 * The user as which Hearth's own Kafka clients (stream-job workers, bounded runs) connect to its listener: a super
 * user. By default {@value #DEFAULT_NAME} with a random password made per process, never written anywhere but as its
 * SCRAM credentials in the user directory (each start replaces them); {@code hearth.jobs.user} and
 * {@code hearth.jobs.password} name another (its password is then declared like a configured user's). Immutable;
 * the password array is not copied and must not be changed.
 *
 * @param name     the user name
 * @param password its password
 */
public record InternalUser(String name, char[] password) {

    public static final String DEFAULT_NAME = "hearth-internal";

    /** {@value #DEFAULT_NAME} with a fresh random password. */
    public static InternalUser generated() {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        return new InternalUser(DEFAULT_NAME, Base64.getUrlEncoder().withoutPadding().encodeToString(random).toCharArray());
    }

    /**
     * {@code hearth.jobs.user} / {@code hearth.jobs.password} when set, else {@link #generated()}. A user named
     * without a password takes a generated one, which replaces its credentials at every start.
     */
    public static InternalUser read(Function<String, Optional<String>> lookup) {
        Optional<String> name = lookup.apply("hearth.jobs.user").map(String::trim).filter(v -> !v.isEmpty());
        if (name.isEmpty()) {
            return generated();
        }
        UserNames.validate(name.get());
        char[] password = lookup.apply("hearth.jobs.password").filter(v -> !v.isEmpty()).map(String::toCharArray)
                .orElse(generated().password());
        return new InternalUser(name.get(), password);
    }

    @Override
    public String toString() {
        return "InternalUser[" + name + "]";
    }
}
