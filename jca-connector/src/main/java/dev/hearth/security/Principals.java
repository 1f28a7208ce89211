package dev.hearth.security;

import org.apache.kafka.common.security.auth.KafkaPrincipal;

/** Kafka's principal text form, {@code <type>:<name>} (for example {@code User:alice}), both ways. */
public final class Principals {

    private Principals() {
    }

    /** @throws IllegalArgumentException for text without a type, a ':' or a name */
    public static KafkaPrincipal parse(String text) {
        int colon = text == null ? -1 : text.indexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("a principal is written <type>:<name>, for example User:alice");
        }
        return new KafkaPrincipal(text.substring(0, colon), text.substring(colon + 1));
    }

    /** A user's principal, {@code User:<name>}. */
    public static KafkaPrincipal user(String name) {
        return new KafkaPrincipal(KafkaPrincipal.USER_TYPE, name);
    }

    public static String text(KafkaPrincipal principal) {
        return principal.getPrincipalType() + ":" + principal.getName();
    }
}
