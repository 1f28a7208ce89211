package dev.hearth.security;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.apache.kafka.common.security.scram.ScramCredential;

/**
 * Password checks for network-facing logins (HTTP Basic, SASL PLAIN) that cost the server next to nothing when
 * repeated. The real check is PBKDF2 against the user's SCRAM credential ({@link ScramUserStore#verifyPassword}).
 * Once it has accepted a password, that password's HMAC (under a per-process key that never leaves memory)
 * answers every later attempt for the user in microseconds, right or wrong; the HMACs of the last
 * {@link #REJECTED_REMEMBERED} rejected passwords answer their repeats; and a password never seen takes one of a
 * few shared slots (half the cores): when none is free the attempt is refused with {@link LoginBusyException}
 * rather than queued. A changed credential (a new password) drops what was remembered for the user.
 *
 * <p>Thread-safety: per-user state in a concurrent map, each entry's rejected set synchronized; PBKDF2 runs
 * outside any lock.
 */
public final class PasswordChecks {

    static final int REJECTED_REMEMBERED = 64;

    private final ScramUserStore users;
    private final byte[] cacheKey = new byte[32];
    private final Semaphore slots;
    private final Map<String, Remembered> remembered = new ConcurrentHashMap<>();

    /** What is known about one user's current credential; replaced when the credential changes. */
    private static final class Remembered {
        /** The credential the remembered answers are about (compared by identity: replaced on every change). */
        final ScramCredential credential;
        volatile byte[] accepted;
        final Map<String, Boolean> rejected = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > REJECTED_REMEMBERED;
            }
        });

        Remembered(ScramCredential credential) {
            this.credential = credential;
        }
    }

    public PasswordChecks(ScramUserStore users) {
        this(users, Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
    }

    PasswordChecks(ScramUserStore users, int slowSlots) {
        this.users = users;
        this.slots = new Semaphore(slowSlots);
        new SecureRandom().nextBytes(cacheKey);
    }

    /**
     * Whether the password is the user's; false for an unknown user (after comparable work).
     *
     * @throws LoginBusyException when the password needs PBKDF2 and no slot is free
     */
    public boolean check(String user, char[] password) {
        byte[] mac = hmac(password);
        ScramCredential credential = users.passwordCredential(user);
        if (credential == null) {
            MessageDigest.isEqual(mac, cacheKey);
            return false;
        }
        Remembered state = remembered.compute(user, (name, old) ->
                old != null && old.credential == credential ? old : new Remembered(credential));
        byte[] known = state.accepted;
        if (known != null) {
            return MessageDigest.isEqual(known, mac);
        }
        String macKey = Base64.getEncoder().encodeToString(mac);
        if (state.rejected.containsKey(macKey)) {
            return false;
        }
        if (!slots.tryAcquire()) {
            throw new LoginBusyException(1);
        }
        try {
            if (users.verifyPassword(user, password)) {
                state.accepted = mac;
                return true;
            }
            state.rejected.put(macKey, Boolean.TRUE);
            return false;
        } finally {
            slots.release();
        }
    }

    private byte[] hmac(char[] password) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(cacheKey, "HmacSHA256"));
            ByteBuffer bytes = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
            mac.update(bytes);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
