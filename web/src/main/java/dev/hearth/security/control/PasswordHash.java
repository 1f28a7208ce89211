package dev.hearth.security.control;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * A PBKDF2-HMAC-SHA256 password hash, written as {@code pbkdf2-sha256:<iterations>:<salt b64>:<hash b64>}
 * (a 32-byte hash). Verification compares in constant time. Immutable, so thread-safe.
 */
public record PasswordHash(int iterations, byte[] salt, byte[] hash) {

    private static final String PREFIX = "pbkdf2-sha256";
    private static final String ALGORITHM = "PBKDF2WithHmacSHA256";
    /** OWASP's 2023 figure for PBKDF2-HMAC-SHA256. */
    private static final int DEFAULT_ITERATIONS = 600_000;
    private static final int HASH_BITS = 256;

    /** Rejects what could never verify (a truncated hash, no salt): such a hash would lock its user out silently. */
    public PasswordHash {
        if (iterations < 1 || salt.length == 0 || hash.length != HASH_BITS / Byte.SIZE) {
            throw new IllegalArgumentException("a " + PREFIX + " hash needs iterations >= 1, a salt and "
                    + HASH_BITS / Byte.SIZE + " hash bytes");
        }
    }

    public static PasswordHash of(char[] password, SecureRandom random) {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        return new PasswordHash(DEFAULT_ITERATIONS, salt, derive(password, salt, DEFAULT_ITERATIONS));
    }

    public static PasswordHash parse(String encoded) {
        String[] parts = encoded.trim().split(":");
        if (parts.length != 4 || !PREFIX.equals(parts[0])) {
            throw new IllegalArgumentException("not a " + PREFIX + " hash");
        }
        Base64.Decoder base64 = Base64.getDecoder();
        return new PasswordHash(Integer.parseInt(parts[1]), base64.decode(parts[2]), base64.decode(parts[3]));
    }

    public String encoded() {
        Base64.Encoder base64 = Base64.getEncoder();
        return PREFIX + ":" + iterations + ":" + base64.encodeToString(salt) + ":" + base64.encodeToString(hash);
    }

    /** Slow on purpose (PBKDF2); callers cache a successful result rather than repeat it per request. */
    public boolean matches(char[] password) {
        return MessageDigest.isEqual(hash, derive(password, salt, iterations));
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, HASH_BITS);
        try {
            return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " is part of every JDK", e);
        } finally {
            spec.clearPassword();
        }
    }

    /** Constant-time comparison of two passwords' UTF-8 bytes, whatever their lengths. */
    static boolean constantTimeEquals(char[] given, char[] expected) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            byte[] a = sha256.digest(new String(given).getBytes(StandardCharsets.UTF_8));
            byte[] b = sha256.digest(new String(expected).getBytes(StandardCharsets.UTF_8));
            return MessageDigest.isEqual(a, b);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
