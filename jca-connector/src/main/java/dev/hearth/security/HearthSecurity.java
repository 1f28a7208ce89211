package dev.hearth.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;

import dev.hearth.engine.internal.AtomicFiles;
import dev.hearth.engine.internal.OwnerOnlyFiles;

/**
 * Hearth's security, one instance per running engine, shared by the Kafka listener and (through the connection
 * API) the HTTP API: the user directory ({@link ScramUserStore}), the ACLs and their decisions
 * ({@link AclAuthorizer}), and cheap repeated password checks ({@link PasswordChecks}). Files live in
 * {@code <data dir>/security/} (owner-only).
 *
 * <p>At start, users declared by configuration ({@link SecuritySettings}) get SCRAM-SHA-256 and -512 credentials
 * derived from their passwords (re-derived only when the password changed) and the ACLs their roles stand for.
 * When no user exists at all, an {@code admin} is generated: its password is written to the owner-only file
 * {@code <data dir>/initial-admin-password} for the operator to read once (HEARTH-0801 says where, never what),
 * and only its SCRAM credentials are kept.
 *
 * <p>Hearth's own Kafka clients connect as an {@link InternalUser} ({@code hearth-internal} with a random password
 * per process unless {@code hearth.jobs.user} names another), registered here at every start and added to the
 * super users; it does not count as a user for the decision to generate {@code admin}.
 *
 * <p>Thread-safety: thread-safe; every part is.
 */
public final class HearthSecurity {

    public static final String INITIAL_ADMIN_PASSWORD_FILE = "initial-admin-password";
    private static final Logger LOG = Logger.getLogger(HearthSecurity.class.getName());

    private final SecuritySettings settings;
    private final ScramUserStore users;
    private final AclAuthorizer acls;
    private final PasswordChecks passwords;
    private final InternalUser internalUser;

    private HearthSecurity(SecuritySettings settings, ScramUserStore users, AclAuthorizer acls,
                           InternalUser internalUser) {
        this.settings = settings;
        this.internalUser = internalUser;
        this.users = users;
        this.acls = acls;
        this.passwords = new PasswordChecks(users);
    }

    /** As {@link #start(Path, SecuritySettings, InternalUser)} with a generated {@code hearth-internal}. */
    public static HearthSecurity start(Path dataDir, SecuritySettings settings) {
        return start(dataDir, settings, InternalUser.generated());
    }

    /** Opens the stores under {@code dataDir} and applies what configuration declares. */
    public static HearthSecurity start(Path dataDir, SecuritySettings settings, InternalUser internal) {
        return start(dataDir, settings, internal, null);
    }

    /**
     * As {@link #start(Path, SecuritySettings, InternalUser)}, with the ACLs in {@code aclStore} (a Kafka cluster's)
     * instead of the file under {@code dataDir}; null for the file.
     */
    public static HearthSecurity start(Path dataDir, SecuritySettings settings, InternalUser internal,
                                       AclStore aclStore) {
        // A configured user named as the internal one keeps its configured password.
        InternalUser internalUser = settings.passwords().containsKey(internal.name())
                ? new InternalUser(internal.name(), settings.passwords().get(internal.name())) : internal;
        Path dir;
        try {
            dir = OwnerOnlyFiles.createDirectoriesDurably(dataDir.resolve("security"));
        } catch (IOException e) {
            throw new UncheckedIOException("HEARTH-0814 Cannot create " + dataDir.resolve("security"), e);
        }
        ScramUserStore users = ScramUserStore.open(dir);
        Set<KafkaPrincipal> superUsers = new LinkedHashSet<>(settings.superUsers());
        superUsers.add(Principals.user(internalUser.name()));
        AclAuthorizer acls = aclStore == null ? AclAuthorizer.open(dir, superUsers)
                : AclAuthorizer.open(aclStore, superUsers);
        for (Map.Entry<String, char[]> user : settings.passwords().entrySet()) {
            declare(users, user.getKey(), user.getValue());
        }
        if (!settings.configuredAcls().isEmpty()) {
            acls.create(settings.configuredAcls());
        }
        if (settings.enabled() && users.describe().keySet().stream().allMatch(internalUser.name()::equals)) {
            declare(users, SecuritySettings.ADMIN, initialAdminPassword(dataDir));
        }
        if (!settings.passwords().containsKey(internalUser.name())) {
            declare(users, internalUser.name(), internalUser.password());
        }
        if (!settings.enabled()) {
            LOG.warning("HEARTH-0802 hearth.security.enabled=false: every request over HTTP and Kafka is allowed "
                    + "without credentials");
        }
        return new HearthSecurity(settings, users, acls, internalUser);
    }

    /** Gives the user credentials for both SCRAM mechanisms from its configured password, unless it has them. */
    private static void declare(ScramUserStore users, String user, char[] password) {
        for (ScramMechanism mechanism : ScramMechanism.values()) {
            boolean current = users.credential(user, mechanism)
                    .map(credential -> users.verifyPassword(user, mechanism, password)).orElse(false);
            if (!current) {
                users.setPassword(user, mechanism, password, ScramUserStore.DEFAULT_ITERATIONS);
            }
        }
    }

    /** The generated admin's password: the one an earlier start wrote (not yet deleted), or a new one. */
    private static char[] initialAdminPassword(Path dataDir) {
        Path file = dataDir.resolve(INITIAL_ADMIN_PASSWORD_FILE);
        try {
            if (Files.exists(file)) {
                String kept = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (!kept.isEmpty()) {
                    LOG.warning("HEARTH-0801 No user is configured; user 'admin' has the password in " + file);
                    return kept.toCharArray();
                }
            }
            byte[] random = new byte[18];
            new SecureRandom().nextBytes(random);
            String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            AtomicFiles.write(file, (password + "\n").getBytes(StandardCharsets.UTF_8));
            LOG.warning("HEARTH-0801 No user is configured; generated user 'admin' with the password in " + file
                    + " (read it, then set hearth.security.admin.password or change it with kafka-configs)");
            return password.toCharArray();
        } catch (IOException e) {
            throw new UncheckedIOException("HEARTH-0804 Cannot write " + file, e);
        }
    }

    /** The user Hearth's own Kafka clients connect as (a super user). */
    public InternalUser internalUser() {
        return internalUser;
    }

    public boolean enabled() {
        return settings.enabled();
    }

    public SecuritySettings settings() {
        return settings;
    }

    public ScramUserStore users() {
        return users;
    }

    public AclAuthorizer acls() {
        return acls;
    }

    /** Network-facing password checks (SASL PLAIN, HTTP Basic); may throw {@link LoginBusyException}. */
    public PasswordChecks passwords() {
        return passwords;
    }

    /** The decision for one request: always yes when security is disabled, else {@link AclAuthorizer#authorize}. */
    public boolean authorize(KafkaPrincipal principal, String host, AclOperation operation, ResourceType type,
                             String name) {
        return !settings.enabled() || acls.authorize(principal, host, operation, type, name);
    }

    /** {@link AclAuthorizer#authorizeAny}, always yes when security is disabled. */
    public boolean authorizeAny(KafkaPrincipal principal, String host, AclOperation operation, ResourceType type) {
        return !settings.enabled() || acls.authorizeAny(principal, host, operation, type);
    }
}
