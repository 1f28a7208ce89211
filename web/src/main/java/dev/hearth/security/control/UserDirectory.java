package dev.hearth.security.control;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The users of Hearth's HTTP API, read once at start from MicroProfile Config:
 * <pre>
 *   hearth.security.user.&lt;name&gt;.password   the password (required: it declares the user)
 *   hearth.security.user.&lt;name&gt;.roles      comma list of admin, producer, consumer (default: none)
 *   hearth.security.user.&lt;name&gt;.topics     comma list of topic names, or * (default *)
 *   hearth.security.admin.password            an "admin" user with this password
 * </pre>
 * When neither declares a user, the directory falls back to a generated {@code admin} whose password is
 * written to an owner-only file in {@code ${hearth.data.dir}} and whose hash is kept next to it (see
 * {@link GeneratedAdminCredentials}): the log says where the password is (HEARTH-0801), never what it is.
 * A configured password is compared in constant time; a hashed one goes through a {@link PasswordVerifier}:
 * PBKDF2 once, after which an HMAC under a per-process key stands in for it, repeated wrong passwords are
 * remembered, and at most half the cores run PBKDF2 at once ({@link LoginBusyException} beyond), so a burst of
 * failed logins cannot stall the server. No password reaches a log.
 * <p>Thread-safety: the user map is built in {@link #load} and never changed; verifiers are thread-safe.
 */
@ApplicationScoped
public class UserDirectory {

    public static final String ENABLED = "hearth.security.enabled";
    public static final String ADMIN_PASSWORD = "hearth.security.admin.password";
    public static final String ADMIN = "admin";
    private static final Pattern USER_PASSWORD = Pattern.compile("hearth\\.security\\.user\\.(.+)\\.password");
    private static final Logger LOG = Logger.getLogger(UserDirectory.class.getName());

    private final SecureRandom random = new SecureRandom();
    /** Per-process key for the verified-password cache; never leaves memory. */
    private final byte[] cacheKey = new byte[32];
    private final Map<String, Entry> users = new HashMap<>();
    /** Slow (PBKDF2) checks that may run at once, shared by every hashed user. */
    private final Semaphore slowCheckSlots = new Semaphore(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
    private boolean enabled;

    /** A user and what proves it: a configured password or a stored hash's verifier (exactly one is set). */
    private record Entry(HearthUser user, char[] password, PasswordVerifier hash) {
    }

    /** Loads at deployment, so the generated password is issued at start rather than on the first request. */
    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        LOG.fine(() -> "HEARTH-0800 security " + (enabled ? "enabled" : "disabled") + ", users " + users.keySet());
    }

    @PostConstruct
    void load() {
        random.nextBytes(cacheKey);
        Config config = ConfigProvider.getConfig();
        enabled = config.getOptionalValue(ENABLED, Boolean.class).orElse(true);
        if (!enabled) {
            LOG.warning("HEARTH-0802 " + ENABLED + "=false: the HTTP API accepts every request without credentials");
            return;
        }
        for (String property : config.getPropertyNames()) {
            Matcher matcher = USER_PASSWORD.matcher(property);
            if (matcher.matches()) {
                String name = matcher.group(1);
                config.getOptionalValue(property, String.class).ifPresent(password ->
                        users.put(name, new Entry(user(config, name, EnumSet.noneOf(Role.class)), password.toCharArray(), null)));
            }
        }
        config.getOptionalValue(ADMIN_PASSWORD, String.class).ifPresent(password ->
                users.put(ADMIN, new Entry(user(config, ADMIN, EnumSet.of(Role.ADMIN)), password.toCharArray(), null)));
        if (users.isEmpty()) {
            Path dataDir = Path.of(config.getOptionalValue("hearth.data.dir", String.class).orElse("hearth-data"));
            users.put(ADMIN, new Entry(new HearthUser(ADMIN, EnumSet.of(Role.ADMIN), Set.of()), null,
                    new PasswordVerifier(cacheKey, new GeneratedAdminCredentials(dataDir, random).loadOrGenerate()::matches,
                            slowCheckSlots)));
        }
        users.values().stream().filter(entry -> entry.user().roles().isEmpty()).forEach(entry ->
                LOG.warning("HEARTH-0803 user " + entry.user().name() + " has no roles (hearth.security.user."
                        + entry.user().name() + ".roles): it can authenticate but is permitted nothing"));
    }

    public boolean enabled() {
        return enabled;
    }

    /**
     * The user whose password this is, or empty for an unknown user or a wrong password.
     *
     * @throws LoginBusyException when the password needs PBKDF2 and every slot for it is taken
     */
    public Optional<HearthUser> authenticate(String name, char[] password) {
        Entry entry = users.get(name);
        if (entry == null) {
            // Spend comparable time so that a wrong name cannot be told from a wrong password by the clock.
            PasswordHash.constantTimeEquals(password, cacheKeyChars());
            return Optional.empty();
        }
        if (entry.password() != null) {
            return PasswordHash.constantTimeEquals(password, entry.password()) ? Optional.of(entry.user()) : Optional.empty();
        }
        return entry.hash().matches(password) ? Optional.of(entry.user()) : Optional.empty();
    }

    public Optional<HearthUser> user(String name) {
        return Optional.ofNullable(users.get(name)).map(Entry::user);
    }

    private char[] cacheKeyChars() {
        return Base64.getEncoder().encodeToString(cacheKey).toCharArray();
    }

    private static HearthUser user(Config config, String name, Set<Role> defaultRoles) {
        String prefix = "hearth.security.user." + name;
        Set<Role> roles = config.getOptionalValue(prefix + ".roles", String.class)
                .map(value -> parseRoles(name, value)).orElse(defaultRoles);
        Set<String> topics = new LinkedHashSet<>();
        for (String topic : config.getOptionalValue(prefix + ".topics", String.class).orElse("*").split(",")) {
            if (!topic.isBlank()) {
                topics.add(topic.trim());
            }
        }
        return new HearthUser(name, roles, topics.contains("*") ? Set.of() : topics);
    }

    private static Set<Role> parseRoles(String user, String value) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String name : value.split(",")) {
            if (!name.isBlank()) {
                roles.add(Role.parse(name).orElseThrow(() -> new IllegalArgumentException("hearth.security.user."
                        + user + ".roles: unknown role '" + name.trim() + "' (admin, producer, consumer)")));
            }
        }
        return roles;
    }
}
