package dev.hearth.security.control;

import java.util.Set;

/**
 * A configured user's permissions. {@code topics} is empty when every topic is allowed ({@code *}).
 * Immutable, so thread-safe.
 */
public record HearthUser(String name, Set<Role> roles, Set<String> topics) {

    public HearthUser {
        roles = Set.copyOf(roles);
        topics = Set.copyOf(topics);
    }

    /** Whether one of this user's roles grants an operation that requires {@code required}. */
    public boolean has(Role required) {
        return roles.stream().anyMatch(required.grantedTo()::contains);
    }

    public boolean mayAccessTopic(String topic) {
        return topics.isEmpty() || topics.contains(topic);
    }
}
