package dev.hearth.security;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.auth.KafkaPrincipal;

/**
 * Security as MicroProfile Config declares it at start, for automation:
 * <pre>
 *   hearth.security.enabled                  false: every request of every protocol is allowed (default true)
 *   hearth.security.super.users              Kafka's super.users, ';'-separated principals
 *                                            (default User:admin;User:ANONYMOUS, see below)
 *   hearth.security.admin.password           declares user "admin" (a super user by default)
 *   hearth.security.user.&lt;name&gt;.password   declares a user, SCRAM-SHA-256 and -512 derived from this password
 *   hearth.security.user.&lt;name&gt;.roles      shorthand for ACLs: admin (a super user), producer (Write and Read
 *                                            on its topics, Read on every group), consumer (Read on its topics and
 *                                            every group)
 *   hearth.security.user.&lt;name&gt;.topics     the topics those ACLs name: comma list, a trailing * makes a
 *                                            prefix, * alone is every topic (default *)
 * </pre>
 * {@code User:ANONYMOUS} is the principal of a connection that did not authenticate (a PLAINTEXT Kafka listener,
 * which is refused on a non-loopback address unless explicitly allowed); remove it from the super users to put
 * such clients under ACLs too.
 *
 * @param enabled         whether anything is checked at all
 * @param superUsers      principals allowed everything
 * @param passwords       users declared by configuration, with their passwords
 * @param configuredAcls  the ACLs that roles stand for, created at start if absent
 */
public record SecuritySettings(boolean enabled, Set<KafkaPrincipal> superUsers, Map<String, char[]> passwords,
                               List<AclBinding> configuredAcls) {

    public static final String ADMIN = "admin";
    public static final String DEFAULT_SUPER_USERS = "User:admin;User:ANONYMOUS";
    private static final Pattern USER_PASSWORD = Pattern.compile("hearth\\.security\\.user\\.(.+)\\.password");

    /**
     * Reads the settings.
     *
     * @param lookup        a value by key ({@code hearth.security.enabled}), from any config source
     * @param propertyNames every configured key, to find {@code hearth.security.user.*}
     */
    public static SecuritySettings read(Function<String, Optional<String>> lookup, Iterable<String> propertyNames) {
        boolean enabled = lookup.apply("hearth.security.enabled").map(v -> Boolean.parseBoolean(v.trim())).orElse(true);
        Set<KafkaPrincipal> superUsers = new LinkedHashSet<>();
        for (String principal : lookup.apply("hearth.security.super.users").orElse(DEFAULT_SUPER_USERS).split(";")) {
            if (!principal.isBlank()) {
                superUsers.add(Principals.parse(principal.trim()));
            }
        }
        Map<String, char[]> passwords = new LinkedHashMap<>();
        List<AclBinding> acls = new ArrayList<>();
        for (String property : propertyNames) {
            Matcher matcher = USER_PASSWORD.matcher(property);
            if (matcher.matches()) {
                String user = matcher.group(1);
                lookup.apply(property).ifPresent(password -> passwords.put(user, password.toCharArray()));
            }
        }
        lookup.apply("hearth.security.admin.password").ifPresent(password -> passwords.put(ADMIN, password.toCharArray()));
        for (String user : passwords.keySet()) {
            UserNames.validate(user);
            String prefix = "hearth.security.user." + user;
            Optional<String> roles = lookup.apply(prefix + ".roles");
            List<String> topics = List.of(lookup.apply(prefix + ".topics").orElse("*").split(","));
            for (String role : roles.map(value -> value.split(",")).orElse(new String[0])) {
                switch (role.trim().toLowerCase(Locale.ROOT)) {
                    case "" -> { }
                    case "admin" -> superUsers.add(new KafkaPrincipal(KafkaPrincipal.USER_TYPE, user));
                    case "producer" -> {
                        topicAcls(acls, user, topics, AclOperation.WRITE);
                        topicAcls(acls, user, topics, AclOperation.READ);
                        acls.add(allow(user, ResourceType.GROUP, "*", PatternType.LITERAL, AclOperation.READ));
                    }
                    case "consumer" -> {
                        topicAcls(acls, user, topics, AclOperation.READ);
                        acls.add(allow(user, ResourceType.GROUP, "*", PatternType.LITERAL, AclOperation.READ));
                    }
                    default -> throw new IllegalArgumentException(prefix + ".roles: unknown role '" + role.trim()
                            + "' (admin, producer, consumer)");
                }
            }
        }
        return new SecuritySettings(enabled, Set.copyOf(superUsers), Map.copyOf(passwords), List.copyOf(acls));
    }

    private static void topicAcls(List<AclBinding> acls, String user, List<String> topics, AclOperation operation) {
        for (String topic : topics) {
            String name = topic.trim();
            if (name.isEmpty()) {
                continue;
            }
            if (name.length() > 1 && name.endsWith("*")) {
                acls.add(allow(user, ResourceType.TOPIC, name.substring(0, name.length() - 1), PatternType.PREFIXED,
                        operation));
            } else {
                acls.add(allow(user, ResourceType.TOPIC, name, PatternType.LITERAL, operation));
            }
        }
    }

    private static AclBinding allow(String user, ResourceType type, String name, PatternType patternType,
                                    AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, patternType),
                new AccessControlEntry(KafkaPrincipal.USER_TYPE + ":" + user, "*",
                        operation, AclPermissionType.ALLOW));
    }
}
