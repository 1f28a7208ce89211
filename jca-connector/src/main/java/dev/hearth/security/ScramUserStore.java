package dev.hearth.security;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;

/**
 * Hearth's one user directory: each user's SCRAM credentials (salt, stored key, server key, iterations) per
 * mechanism, as Kafka keeps them, never a password. SASL SCRAM reads them as they are; SASL PLAIN and HTTP Basic
 * check a password by deriving the salted password with the stored salt and iterations and comparing stored keys
 * ({@link #verifyPassword}). Users come from MicroProfile Config at start and from {@code AlterUserScramCredentials}
 * (kafka-configs), the REST API and the console at run time.
 *
 * <p>File ({@code <data dir>/security/users}, a {@link SecurityFile}, replaced whole on every change): one
 * credential per line, the fields {@code user mechanism iterations salt storedKey serverKey}: the user name
 * URL-encoded, the mechanism's Kafka name ({@code SCRAM-SHA-256}), the byte fields Base64.
 *
 * <p>Thread-safety: readers see an immutable snapshot (volatile); changes are serialized on this object and
 * become visible only after the file holding them has been made durable.
 */
public final class ScramUserStore {

    /** Kafka's minimum and Hearth's choice for credentials it derives itself. */
    public static final int DEFAULT_ITERATIONS = 8192;
    static final String FILE_NAME = "users";

    private final SecurityFile<Line> file;
    private final SecureRandom random = new SecureRandom();
    private volatile Map<String, Map<ScramMechanism, ScramCredential>> users;

    private ScramUserStore(SecurityFile<Line> file, Map<String, Map<ScramMechanism, ScramCredential>> users) {
        this.file = file;
        this.users = users;
    }

    /** One line of the file: one credential of one user. */
    private record Line(String user, ScramMechanism mechanism, ScramCredential credential) {
    }

    /** Reads the store in {@code securityDir}. */
    public static ScramUserStore open(Path securityDir) {
        SecurityFile<Line> file = file(securityDir);
        Map<String, Map<ScramMechanism, ScramCredential>> users = new TreeMap<>();
        for (Line line : file.read()) {
            users.computeIfAbsent(line.user(), name -> new EnumMap<>(ScramMechanism.class))
                    .put(line.mechanism(), line.credential());
        }
        return new ScramUserStore(file, freeze(users));
    }

    private static SecurityFile<Line> file(Path securityDir) {
        Base64.Encoder encoder = Base64.getEncoder();
        Base64.Decoder decoder = Base64.getDecoder();
        return new SecurityFile<>(securityDir.resolve(FILE_NAME), "a SCRAM credential",
                List.of("user", "mechanism", "iterations", "salt", "storedKey", "serverKey"),
                fields -> {
                    ScramMechanism mechanism = ScramMechanism.forMechanismName(fields[1]);
                    if (mechanism == null) {
                        throw new IllegalArgumentException("unknown mechanism " + fields[1]);
                    }
                    return new Line(SecurityFile.decode(fields[0]), mechanism, new ScramCredential(
                            decoder.decode(fields[3]), decoder.decode(fields[4]), decoder.decode(fields[5]),
                            Integer.parseInt(fields[2])));
                },
                line -> new String[] {SecurityFile.encode(line.user()), line.mechanism().mechanismName(),
                        Integer.toString(line.credential().iterations()),
                        encoder.encodeToString(line.credential().salt()),
                        encoder.encodeToString(line.credential().storedKey()),
                        encoder.encodeToString(line.credential().serverKey())});
    }

    /** The user's credential for this mechanism, as SASL SCRAM needs it. */
    public Optional<ScramCredential> credential(String user, ScramMechanism mechanism) {
        Map<ScramMechanism, ScramCredential> credentials = users.get(user);
        return credentials == null ? Optional.empty() : Optional.ofNullable(credentials.get(mechanism));
    }

    /**
     * The credential a password is checked against ({@link #verifyPassword(String, char[])}): the user's
     * SCRAM-SHA-512 one, else its other; null for an unknown user. Credentials are immutable and replaced, never
     * changed, so the same object means the same password (caches of password checks compare it by identity).
     */
    ScramCredential passwordCredential(String user) {
        Map<ScramMechanism, ScramCredential> credentials = users.get(user);
        if (credentials == null || credentials.isEmpty()) {
            return null;
        }
        ScramCredential strongest = credentials.get(ScramMechanism.SCRAM_SHA_512);
        return strongest != null ? strongest : credentials.values().iterator().next();
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
        List<Line> lines = new ArrayList<>();
        next.forEach((name, credentials) -> credentials.forEach((mechanism, credential) ->
                lines.add(new Line(name, mechanism, credential))));
        file.write(lines);
        users = freeze(next);
    }

    private static Map<String, Map<ScramMechanism, ScramCredential>> freeze(
            Map<String, Map<ScramMechanism, ScramCredential>> users) {
        Map<String, Map<ScramMechanism, ScramCredential>> frozen = new TreeMap<>();
        users.forEach((name, credentials) -> frozen.put(name, Collections.unmodifiableMap(new EnumMap<>(credentials))));
        return Collections.unmodifiableMap(frozen);
    }
}
