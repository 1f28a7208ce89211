package dev.hearth.connector.api;

import java.util.Map;

/**
 * A user of Hearth's one directory, as Kafka's {@code DescribeUserScramCredentials} describes it: never a password,
 * salt or key. Immutable.
 *
 * @param name                  the user name; its principal is {@code User:<name>}
 * @param iterationsByMechanism per SCRAM mechanism the user has a credential for ({@code SCRAM-SHA-256},
 *                              {@code SCRAM-SHA-512}), that credential's PBKDF2 iterations
 */
public record UserDescription(String name, Map<String, Integer> iterationsByMechanism) {

    public UserDescription {
        iterationsByMechanism = Map.copyOf(iterationsByMechanism);
    }
}
