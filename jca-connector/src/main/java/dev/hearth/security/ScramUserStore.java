package dev.hearth.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;

import dev.hearth.engine.internal.AtomicFiles;

/**
 * Hearth's one user directory: each user's SCRAM credentials (salt, stored key, server key, iterations) per
 * mechanism, as Kafka keeps them, never a password. SASL SCRAM reads them as they are; SASL PLAIN and HTTP Basic
 * check a password by deriving the salted password with the stored salt and iterations and comparing stored keys
 * ({@link #verifyPassword}). Users come from MicroProfile Config at start and from {@code AlterUserScramCredentials}
 * (kafka-configs), the REST API and the console at run time.
 *
 * <p>File format ({@code <data dir>/security/users}, UTF-8, owner-only, replaced whole with {@link AtomicFiles}
 * on every change): one credential per line, five tab-separated fields
 * {@code user mechanism iterations salt storedKey serverKey} — the user name URL-encoded, the mechanism's Kafka
 * name ({@code SCRAM-SHA-256}), the byte fields Base64. Lines starting with {@code #} are comments.
 *
 * <p>Thread-safety: readers see an immutable snapshot (volatile); changes are serialized on this object and
 * become visible only after the file holding them has been made durable.
 */
public final class ScramUserStore {

    /** Kafka's minimum and Hearth's choice for credentials it derives itself. */
    public static final int DEFAULT_ITERATIONS = 8192;
    static final String FILE_NAME = "users";

    private final Path file;
    private final SecureRandom random = new SecureRandom();
    private volatile Map<String, Map<ScramMechanism, ScramCredential>> users;

    private ScramUserStore(Path file, Map<String, Map<ScramMechanism, ScramCredential>> users) {
        this.file = file;
        this.users = users;
    }

    /** Reads the store in {@code securityDir} (created owner-only if absent). */
    public static ScramUserStore open(Path securityDir) {
        Path file = securityDir.resolve(FILE_NAME);
        Map<String, Map<ScramMechanism, ScramCredential>> users = new TreeMap<>();
        try {
            if (Files.exists(file)) {
                int lineNumber = 0;
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    lineNumber++;
                    if (line.isBlank() || line.startsWith("#")) {
                        continue;
                    }
                    String[] fields = line.split("\t");
                    ScramMechanism mechanism = fields.length == 6 ? ScramMechanism.forMechanismName(fields[1]) : null;
                    if (mechanism == null) {
                        throw new IllegalStateException("HEARTH-0810 " + file + " line " + lineNumber
                                + " is not a SCRAM credential (user, mechanism, iterations, salt, stored key, server key)");
                    }
                    Base64.Decoder base64 = Base64.getDecoder();
                    users.computeIfAbsent(URLDecoder.decode(fields[0], StandardCharsets.UTF_8),
                                    name -> new EnumMap<>(ScramMechanism.class))
                            .put(mechanism, new ScramCredential(base64.decode(fields[3]), base64.decode(fields[4]),
                                    base64.decode(fields[5]), Integer.parseInt(fields[2])));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("HEARTH-0811 Cannot read the user directory " + file, e);
        }
        return new ScramUserStore(file, freeze(users));
    }

    /** The user's credential for this mechanism, as SASL SCRAM needs it. */
    public Optional<ScramCredential> credential(String user, ScramMechanism mechanism) {
        Map<ScramMechanism, ScramCredential> credentials = users.get(user);
        return credentials == null ? Optional.empty() : Optional.ofNullable(credentials.get(mechanism));
    }

    /**
     * An identity of the user's current credentials that changes whenever they do (for caches of password
     * checks), or null for an unknown user.
     */
    String credentialId(String user) {
        Map<ScramMechanism, ScramCredential> credentials = users.get(user);
        if (credentials == null || credentials.isEmpty()) {
            return null;
        }
        StringBuilder id = new StringBuilder();
        Base64.Encoder base64 = Base64.getEncoder();
        credentials.forEach((mechanism, credential) ->
                id.append(mechanism.ordinal()).append(base64.encodeToString(credential.storedKey())));
        return id.toString();
    }

    public boolean exists(String user) {
        return users.containsKey(user);
    }

    /** Every user with the iterations of each of its mechanisms, by name. */
    public Map<String, Map<ScramMechanism, Integer>> describe() {
        Map<String, Map<ScramMechanism, Integer>> description = new TreeMap<>();
        users.forEach((name, credentials) -> {
            Map<ScramMechanism, Integer> iterations = new EnumMap<>(ScramMechanism.class);
            credentials.forEach((mechanism, credential) -> iterations.put(mechanism, credential.iterations()));
            description.put(name, Collections.unmodifiableMap(iterations));
        });
        return Collections.unmodifiableMap(description);
    }

    /**
     * Whether {@code password} is the user's: derived with the salt and iterations of the user's strongest
     * credential and compared in constant time. Costs one PBKDF2 run (milliseconds): callers facing the network
     * put a {@link PasswordChecks} in front. False for an unknown user.
     */
    public boolean verifyPassword(String user, char[] password) {
        Map<ScramMechanism, ScramCredential> credentials = users.get(user);
        if (credentials == null || credentials.isEmpty()) {
            return false;
        }
        return verifyPassword(user, credentials.containsKey(ScramMechanism.SCRAM_SHA_512)
                ? ScramMechanism.SCRAM_SHA_512 : credentials.keySet().iterator().next(), password);
    }

    /** Whether {@code password} is the one the user's credential for {@code mechanism} was derived from. */
    public boolean verifyPassword(String user, ScramMechanism mechanism, char[] password) {
        ScramCredential credential = credential(user, mechanism).orElse(null);
        if (credential == null) {
            return false;
        }
        try {
            ScramFormatter formatter = new ScramFormatter(mechanism);
            byte[] salted = formatter.saltedPassword(new String(password), credential.salt(), credential.iterations());
            byte[] storedKey = formatter.storedKey(formatter.clientKey(salted));
            return MessageDigest.isEqual(storedKey, credential.storedKey());
        } catch (NoSuchAlgorithmException | java.security.InvalidKeyException e) {
            throw new IllegalStateException("HEARTH-0812 " + mechanism + " is not available in this JVM", e);
        }
    }

    /** Derives and stores the user's credential for {@code mechanism} from a password (a fresh salt). */
    public void setPassword(String user, ScramMechanism mechanism, char[] password, int iterations) {
        put(user, mechanism, derive(mechanism, password, iterations));
    }

    /** The credential a password gives with a fresh random salt. */
    public ScramCredential derive(ScramMechanism mechanism, char[] password, int iterations) {
        if (iterations < mechanism.minIterations() || iterations > mechanism.maxIterations()) {
            throw new IllegalArgumentException("iterations must be between " + mechanism.minIterations() + " and "
                    + mechanism.maxIterations() + " for " + mechanism.mechanismName());
        }
        byte[] salt = new byte[32];
        random.nextBytes(salt);
        try {
            ScramFormatter formatter = new ScramFormatter(mechanism);
            byte[] salted = formatter.saltedPassword(new String(password), salt, iterations);
            return credentialFromSalted(formatter, salt, salted, iterations);
        } catch (NoSuchAlgorithmException | java.security.InvalidKeyException e) {
            throw new IllegalStateException("HEARTH-0812 " + mechanism + " is not available in this JVM", e);
        }
    }

    /**
     * The credential that a salted password gives, as {@code AlterUserScramCredentials} sends it (the client
     * salted and hashed the password; the server never sees it).
     */
    public static ScramCredential fromSaltedPassword(ScramMechanism mechanism, byte[] salt, byte[] saltedPassword,
                                                     int iterations) {
        try {
            return credentialFromSalted(new ScramFormatter(mechanism), salt, saltedPassword, iterations);
        } catch (NoSuchAlgorithmException | java.security.InvalidKeyException e) {
            throw new IllegalStateException("HEARTH-0812 " + mechanism + " is not available in this JVM", e);
        }
    }

    private static ScramCredential credentialFromSalted(ScramFormatter formatter, byte[] salt, byte[] salted,
                                                        int iterations) throws java.security.InvalidKeyException {
        byte[] storedKey = formatter.storedKey(formatter.clientKey(salted));
        byte[] serverKey = formatter.serverKey(salted);
        return new ScramCredential(salt, storedKey, serverKey, iterations);
    }

    /** Stores (adds or replaces) one credential; durable on return. */
    public synchronized void put(String user, ScramMechanism mechanism, ScramCredential credential) {
        UserNames.validate(user);
        Map<String, Map<ScramMechanism, ScramCredential>> next = mutableCopy();
        next.computeIfAbsent(user, name -> new EnumMap<>(ScramMechanism.class)).put(mechanism, credential);
        commit(next);
    }

    /** Removes one credential (and the user with its last one); false when there was none. Durable on return. */
    public synchronized boolean delete(String user, ScramMechanism mechanism) {
        Map<String, Map<ScramMechanism, ScramCredential>> next = mutableCopy();
        Map<ScramMechanism, ScramCredential> credentials = next.get(user);
        if (credentials == null || credentials.remove(mechanism) == null) {
            return false;
        }
        if (credentials.isEmpty()) {
            next.remove(user);
        }
        commit(next);
        return true;
    }

    /** Removes the user and every credential of it; false when unknown. Durable on return. */
    public synchronized boolean deleteUser(String user) {
        Map<String, Map<ScramMechanism, ScramCredential>> next = mutableCopy();
        if (next.remove(user) == null) {
            return false;
        }
        commit(next);
        return true;
    }

    private Map<String, Map<ScramMechanism, ScramCredential>> mutableCopy() {
        Map<String, Map<ScramMechanism, ScramCredential>> copy = new TreeMap<>();
        users.forEach((name, credentials) -> copy.put(name, new EnumMap<>(credentials)));
        return copy;
    }

    private void commit(Map<String, Map<ScramMechanism, ScramCredential>> next) {
        StringBuilder content = new StringBuilder("# Hearth users: user mechanism iterations salt storedKey serverKey\n");
        Base64.Encoder base64 = Base64.getEncoder();
        next.forEach((name, credentials) -> credentials.forEach((mechanism, credential) -> content
                .append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('\t')
                .append(mechanism.mechanismName()).append('\t')
                .append(credential.iterations()).append('\t')
                .append(base64.encodeToString(credential.salt())).append('\t')
                .append(base64.encodeToString(credential.storedKey())).append('\t')
                .append(base64.encodeToString(credential.serverKey())).append('\n')));
        try {
            AtomicFiles.write(file, content.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("HEARTH-0813 Cannot write the user directory " + file, e);
        }
        users = freeze(next);
    }

    private static Map<String, Map<ScramMechanism, ScramCredential>> freeze(
            Map<String, Map<ScramMechanism, ScramCredential>> users) {
        Map<String, Map<ScramMechanism, ScramCredential>> frozen = new TreeMap<>();
        users.forEach((name, credentials) -> frozen.put(name, Collections.unmodifiableMap(new EnumMap<>(credentials))));
        return Collections.unmodifiableMap(frozen);
    }
}
