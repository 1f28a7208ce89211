package dev.hearth.engine;

import java.util.Locale;

/**
 * Kafka's {@code cleanup.policy}. {@link #DELETE}: retention drops whole old segments. {@link #COMPACT}: the
 * log cleaner keeps only the latest record of each key in closed segments (and drops expired tombstones).
 */
public enum CleanupPolicy {
    DELETE, COMPACT;

    public String configValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static CleanupPolicy parse(String value) {
        for (CleanupPolicy policy : values()) {
            if (policy.configValue().equals(value.trim())) {
                return policy;
            }
        }
        throw new InvalidConfigException("cleanup.policy must be 'delete' or 'compact', not '" + value + "'");
    }
}
