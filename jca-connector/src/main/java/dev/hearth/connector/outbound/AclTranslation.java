package dev.hearth.connector.outbound;

import java.util.Locale;
import java.util.Map;

import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;

import dev.hearth.connector.api.AclEntry;
import dev.hearth.connector.api.AclFilter;
import dev.hearth.connector.api.HearthConnectionException;
import dev.hearth.connector.api.HearthError;
import dev.hearth.security.AclAuthorizer;

/**
 * Translates the connection API's text ACLs ({@link AclEntry}, {@link AclFilter}) to Kafka's types and back. Enum
 * names are Kafka's constants, case-insensitive; anything Kafka would refuse is a {@link HearthConnectionException}
 * with {@link HearthError#INVALID_REQUEST} and a detail naming the field. Stateless, so thread-safe.
 */
final class AclTranslation {

    private AclTranslation() {
    }

    /** A binding that can be stored, or INVALID_REQUEST with the reason {@link AclAuthorizer#validate} gives. */
    static AclBinding binding(AclEntry entry) {
        ResourceType type = resourceType(entry.resourceType());
        PatternType patternType = patternType(entry.patternType());
        AclOperation operation = operation(entry.operation());
        AclPermissionType permission = permission(entry.permission());
        AclBinding binding;
        try {
            binding = new AclBinding(new ResourcePattern(type, entry.resourceName(), patternType),
                    new AccessControlEntry(entry.principal(), entry.host(), operation, permission));
        } catch (IllegalArgumentException e) {
            // Kafka's constructors refuse the filter-only values (ANY, MATCH) themselves.
            throw invalid(e.getMessage() + ": " + entry);
        }
        AclAuthorizer.validate(binding).ifPresent(problem -> {
            throw invalid(problem + ": " + entry);
        });
        return binding;
    }

    static AclBindingFilter filter(AclFilter filter) {
        ResourceType type = filter.resourceType() == null ? ResourceType.ANY : resourceType(filter.resourceType());
        PatternType patternType = filter.patternType() == null ? PatternType.ANY : patternType(filter.patternType());
        AclOperation operation = filter.operation() == null ? AclOperation.ANY : operation(filter.operation());
        AclPermissionType permission = filter.permission() == null ? AclPermissionType.ANY
                : permission(filter.permission());
        try {
            return new AclBindingFilter(new ResourcePatternFilter(type, filter.resourceName(), patternType),
                    new AccessControlEntryFilter(filter.principal(), filter.host(), operation, permission));
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage());
        }
    }

    static AclEntry entry(AclBinding binding) {
        return new AclEntry(binding.entry().principal(), binding.entry().host(),
                binding.pattern().resourceType().name(), binding.pattern().patternType().name(),
                binding.pattern().name(), binding.entry().operation().name(),
                binding.entry().permissionType().name());
    }

    static AclOperation operation(String name) {
        return constant(AclOperation.class, "operation", name);
    }

    static ResourceType resourceType(String name) {
        return constant(ResourceType.class, "resourceType", name);
    }

    static PatternType patternType(String name) {
        return constant(PatternType.class, "patternType", name);
    }

    static AclPermissionType permission(String name) {
        return constant(AclPermissionType.class, "permission", name);
    }

    static HearthConnectionException invalid(String detail) {
        return new HearthConnectionException(HearthError.INVALID_REQUEST, detail, Map.of());
    }

    private static <E extends Enum<E>> E constant(Class<E> type, String field, String name) {
        if (name == null) {
            throw invalid(field + " is required");
        }
        try {
            E value = Enum.valueOf(type, name.trim().toUpperCase(Locale.ROOT));
            if (!"UNKNOWN".equals(value.name())) {
                return value;
            }
        } catch (IllegalArgumentException e) {
            // Reported below with the valid names.
        }
        StringBuilder valid = new StringBuilder();
        for (E constant : type.getEnumConstants()) {
            if (!"UNKNOWN".equals(constant.name())) {
                valid.append(valid.length() == 0 ? "" : ", ").append(constant.name());
            }
        }
        throw invalid(field + " '" + name + "' is not one of " + valid);
    }
}
