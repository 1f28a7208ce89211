package dev.hearth.security.control;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What a Hearth user may do over HTTP. Roles nest: {@code admin} may do everything, {@code producer} may also
 * read, {@code consumer} may only read. The lower-case name is the config value and the Jakarta Security group.
 */
public enum Role {
    CONSUMER, PRODUCER, ADMIN;

    /** The config and group name: {@code admin}, {@code producer}, {@code consumer}. */
    public String groupName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The roles that are granted an operation that requires this one. */
    public Set<Role> grantedTo() {
        return EnumSet.range(this, ADMIN);
    }

    public static Optional<Role> parse(String value) {
        for (Role role : values()) {
            if (role.groupName().equals(value.trim().toLowerCase(Locale.ROOT))) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
