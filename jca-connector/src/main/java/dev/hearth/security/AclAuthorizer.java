package dev.hearth.security;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.auth.KafkaPrincipal;

/**
 * Kafka's ACLs, stored durably (in an {@link AclStore}), and the decisions they give — the one authorization model of Hearth, for the
 * Kafka protocol and HTTP alike. The semantics are those of Kafka's {@code StandardAuthorizer}:
 * <ul>
 *   <li>a super user ({@code hearth.security.super.users}, Kafka's {@code super.users}) is allowed everything;</li>
 *   <li>an ACL applies to a request when its principal is the caller's or {@code User:*}, its host the caller's
 *       address or {@code *}, and its pattern matches the resource: {@code LITERAL} by equal name or the name
 *       {@code *}, {@code PREFIXED} by prefix;</li>
 *   <li>a matching {@code DENY} for the operation or {@code ALL} refuses, whatever allows (deny wins);</li>
 *   <li>otherwise a matching {@code ALLOW} for the operation, {@code ALL}, or an operation that implies it allows:
 *       {@code READ}, {@code WRITE}, {@code DELETE} and {@code ALTER} imply {@code DESCRIBE};
 *       {@code ALTER_CONFIGS} implies {@code DESCRIBE_CONFIGS};</li>
 *   <li>nothing matching refuses ({@code allow.everyone.if.no.acl.found=false}).</li>
 * </ul>
 *
 * <p>File store ({@code <data dir>/security/acls}, a {@link SecurityFile}, replaced whole on every change): one binding
 * per line, the fields {@code principal host resourceType patternType resourceName operation permission}, the
 * principal, host and resource name URL-encoded, the others Kafka's enum names.
 *
 * <p>Thread-safety: decisions read an immutable snapshot (volatile) without locking; changes are serialized on
 * this object and visible only once durable.
 */
public final class AclAuthorizer {

    static final String FILE_NAME = "acls";
    private static final Set<AclOperation> IMPLY_DESCRIBE = EnumSet.of(AclOperation.DESCRIBE, AclOperation.READ,
            AclOperation.WRITE, AclOperation.DELETE, AclOperation.ALTER);
    private static final Set<AclOperation> IMPLY_DESCRIBE_CONFIGS =
            EnumSet.of(AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS);

    private final AclStore store;
    private final Set<KafkaPrincipal> superUsers;
    private volatile List<AclBinding> bindings;

    private AclAuthorizer(AclStore store, Set<KafkaPrincipal> superUsers, List<AclBinding> bindings) {
        this.store = store;
        this.superUsers = Set.copyOf(superUsers);
        this.bindings = bindings;
    }

    /** Reads the ACLs in {@code securityDir}. */
    public static AclAuthorizer open(Path securityDir, Set<KafkaPrincipal> superUsers) {
        return open(fileStore(securityDir), superUsers);
    }

    /** Reads the ACLs of {@code store}, which then takes every change. */
    public static AclAuthorizer open(AclStore store, Set<KafkaPrincipal> superUsers) {
        return new AclAuthorizer(store, superUsers, List.copyOf(new LinkedHashSet<>(store.load())));
    }

    /** Takes the store's bindings now as the ones decisions use (a cluster's ACLs changed by its own tools). */
    public synchronized void reload() {
        bindings = List.copyOf(new LinkedHashSet<>(store.load()));
    }

    /** The ACL file in {@code securityDir}, replaced whole on every change. */
    private static AclStore fileStore(Path securityDir) {
        SecurityFile<AclBinding> file = new SecurityFile<>(securityDir.resolve(FILE_NAME), "an ACL",
                List.of("principal", "host", "resourceType", "patternType", "resourceName", "operation", "permission"),
                fields -> new AclBinding(
                        new ResourcePattern(ResourceType.valueOf(fields[2]), SecurityFile.decode(fields[4]),
                                PatternType.valueOf(fields[3])),
                        new AccessControlEntry(SecurityFile.decode(fields[0]), SecurityFile.decode(fields[1]),
                                AclOperation.valueOf(fields[5]), AclPermissionType.valueOf(fields[6]))),
                binding -> new String[] {SecurityFile.encode(binding.entry().principal()),
                        SecurityFile.encode(binding.entry().host()), binding.pattern().resourceType().name(),
                        binding.pattern().patternType().name(), SecurityFile.encode(binding.pattern().name()),
                        binding.entry().operation().name(), binding.entry().permissionType().name()});
        return new AclStore() {
            @Override
            public List<AclBinding> load() {
                return file.read();
            }

            @Override
            public void replace(List<AclBinding> previous, List<AclBinding> next) {
                file.write(next);
            }
        };
    }

    public Set<KafkaPrincipal> superUsers() {
        return superUsers;
    }

    public boolean isSuperUser(KafkaPrincipal principal) {
        return superUsers.contains(principal);
    }

    /**
     * Whether {@code principal} connecting from {@code host} may perform {@code operation} on the named resource.
     *
     * @param host the client's address as text ({@code InetAddress.getHostAddress()})
     */
    public boolean authorize(KafkaPrincipal principal, String host, AclOperation operation, ResourceType type,
                             String name) {
        if (superUsers.contains(principal)) {
            return true;
        }
        boolean allowed = false;
        for (AclBinding binding : bindings) {
            if (binding.pattern().resourceType() != type || !matchesCaller(binding.entry(), principal, host)
                    || !matchesName(binding.pattern(), name)) {
                continue;
            }
            AccessControlEntry entry = binding.entry();
            if (entry.permissionType() == AclPermissionType.DENY) {
                if (entry.operation() == operation || entry.operation() == AclOperation.ALL) {
                    return false;
                }
            } else if (grants(entry.operation(), operation)) {
                allowed = true;
            }
        }
        return allowed;
    }

    /**
     * Whether {@code principal} may perform {@code operation} on at least one resource of {@code type} (Kafka's
     * {@code authorizeByResourceType}, used for an idempotent producer's right to write somewhere): some allowing
     * ACL exists whose pattern no matching deny covers.
     */
    public boolean authorizeAny(KafkaPrincipal principal, String host, AclOperation operation, ResourceType type) {
        if (superUsers.contains(principal)) {
            return true;
        }
        List<AclBinding> denies = new ArrayList<>();
        for (AclBinding binding : bindings) {
            AccessControlEntry entry = binding.entry();
            if (binding.pattern().resourceType() == type && entry.permissionType() == AclPermissionType.DENY
                    && (entry.operation() == operation || entry.operation() == AclOperation.ALL)
                    && matchesCaller(entry, principal, host)) {
                denies.add(binding);
            }
        }
        for (AclBinding binding : bindings) {
            AccessControlEntry entry = binding.entry();
            if (binding.pattern().resourceType() == type && entry.permissionType() == AclPermissionType.ALLOW
                    && grants(entry.operation(), operation) && matchesCaller(entry, principal, host)
                    && denies.stream().noneMatch(deny -> covers(deny.pattern(), binding.pattern()))) {
                return true;
            }
        }
        return false;
    }

    /** The bindings the filter matches, in creation order. */
    public List<AclBinding> acls(AclBindingFilter filter) {
        return bindings.stream().filter(filter::matches).toList();
    }

    /**
     * Adds bindings (an existing one is not added twice); durable on return.
     *
     * @return per binding, in order, why it was refused, or empty when it was created (or already existed)
     */
    public synchronized List<Optional<String>> create(List<AclBinding> requested) {
        List<Optional<String>> results = new ArrayList<>(requested.size());
        LinkedHashSet<AclBinding> next = new LinkedHashSet<>(bindings);
        for (AclBinding binding : requested) {
            Optional<String> problem = validate(binding);
            results.add(problem);
            if (problem.isEmpty()) {
                next.add(binding);
            }
        }
        if (next.size() != bindings.size()) {
            commit(List.copyOf(next));
        }
        return results;
    }

    /**
     * Removes what each filter matches; durable on return.
     *
     * @return per filter, in order, the bindings it removed
     */
    public synchronized List<List<AclBinding>> delete(List<AclBindingFilter> filters) {
        List<List<AclBinding>> removed = new ArrayList<>(filters.size());
        LinkedHashSet<AclBinding> next = new LinkedHashSet<>(bindings);
        for (AclBindingFilter filter : filters) {
            List<AclBinding> matched = bindings.stream().filter(filter::matches).toList();
            removed.add(matched);
            matched.forEach(next::remove);
        }
        if (next.size() != bindings.size()) {
            commit(List.copyOf(next));
        }
        return removed;
    }

    /** Why a binding cannot be stored, as Kafka words it, or empty. */
    public static Optional<String> validate(AclBinding binding) {
        ResourcePattern pattern = binding.pattern();
        AccessControlEntry entry = binding.entry();
        if (pattern.resourceType() == ResourceType.ANY || pattern.resourceType() == ResourceType.UNKNOWN
                || pattern.resourceType() == ResourceType.DELEGATION_TOKEN
                || pattern.resourceType() == ResourceType.USER) {
            return Optional.of("Hearth has no ACLs for resource type " + pattern.resourceType());
        }
        if (pattern.patternType() != PatternType.LITERAL && pattern.patternType() != PatternType.PREFIXED) {
            return Optional.of("Pattern type must be LITERAL or PREFIXED, not " + pattern.patternType());
        }
        if (pattern.resourceType() == ResourceType.CLUSTER
                && !(pattern.patternType() == PatternType.LITERAL && "kafka-cluster".equals(pattern.name()))) {
            return Optional.of("The only CLUSTER resource is LITERAL kafka-cluster");
        }
        if (pattern.name() == null || pattern.name().isEmpty()) {
            return Optional.of("The resource name must not be empty");
        }
        if (entry.operation() == AclOperation.ANY || entry.operation() == AclOperation.UNKNOWN) {
            return Optional.of("Invalid operation " + entry.operation());
        }
        if (entry.permissionType() != AclPermissionType.ALLOW && entry.permissionType() != AclPermissionType.DENY) {
            return Optional.of("Permission must be ALLOW or DENY, not " + entry.permissionType());
        }
        try {
            Principals.parse(entry.principal());
        } catch (IllegalArgumentException e) {
            return Optional.of("Invalid principal '" + entry.principal() + "': " + e.getMessage());
        }
        if (entry.host() == null || entry.host().isEmpty()) {
            return Optional.of("The host must be an address or *");
        }
        return Optional.empty();
    }

    private static boolean matchesCaller(AccessControlEntry entry, KafkaPrincipal principal, String host) {
        String acl = entry.principal();
        boolean principalMatches = acl.equals(principal.getPrincipalType() + ":" + principal.getName())
                || acl.equals(principal.getPrincipalType() + ":*") || acl.equals("User:*");
        return principalMatches && (entry.host().equals("*") || entry.host().equals(host));
    }

    private static boolean matchesName(ResourcePattern pattern, String name) {
        return switch (pattern.patternType()) {
            case LITERAL -> pattern.name().equals(name) || pattern.name().equals(ResourcePattern.WILDCARD_RESOURCE);
            case PREFIXED -> name.startsWith(pattern.name());
            default -> false;
        };
    }

    /** Whether a deny's pattern covers every resource an allow's pattern names. */
    private static boolean covers(ResourcePattern deny, ResourcePattern allow) {
        if (deny.patternType() == PatternType.LITERAL && deny.name().equals(ResourcePattern.WILDCARD_RESOURCE)) {
            return true;
        }
        if (deny.patternType() == PatternType.PREFIXED) {
            return allow.name().startsWith(deny.name());
        }
        return allow.patternType() == PatternType.LITERAL && deny.name().equals(allow.name());
    }

    private static boolean grants(AclOperation granted, AclOperation requested) {
        if (granted == AclOperation.ALL || granted == requested) {
            return true;
        }
        return requested == AclOperation.DESCRIBE && IMPLY_DESCRIBE.contains(granted)
                || requested == AclOperation.DESCRIBE_CONFIGS && IMPLY_DESCRIBE_CONFIGS.contains(granted);
    }

    private void commit(List<AclBinding> next) {
        store.replace(bindings, next);
        bindings = Collections.unmodifiableList(next);
    }
}
