package dev.hearth.security.control;

import java.security.MessageDigest;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.function.Predicate;

/**
 * Checks passwords against one user's slow hash (PBKDF2) so that wrong passwords cost the server next to nothing.
 * Once PBKDF2 has accepted a password, its HMAC (under a per-process key, see {@link PasswordHmac}) answers
 * every later attempt in microseconds, right or wrong: only one password matches the hash. Before that first
 * success, the HMACs of the last {@link #REJECTED_REMEMBERED} passwords PBKDF2 rejected answer their repeats,
 * so a client retrying one wrong password in a loop costs one PBKDF2, not one per attempt; and a password never
 * seen takes one of a few shared {@code slots}: when none is free the attempt is refused with
 * {@link LoginBusyException} instead of queueing, so logins never take more than those cores.
 *
 * <p>Thread-safety: the accepted HMAC is volatile, the rejected ones a synchronized LRU set; the slow check runs
 * outside any lock.
 */
final class PasswordVerifier {

    static final int REJECTED_REMEMBERED = 64;

    private final byte[] cacheKey;
    private final Predicate<char[]> slowCheck;
    private final Semaphore slots;
    private volatile byte[] accepted;
    private final Map<String, Boolean> rejected = Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > REJECTED_REMEMBERED;
                }
            });

    /**
     * @param slowCheck the hash's own check ({@link PasswordHash#matches})
     * @param slots     shared by every user's verifier: slow checks that may run at once
     */
    PasswordVerifier(byte[] cacheKey, Predicate<char[]> slowCheck, Semaphore slots) {
        this.cacheKey = cacheKey;
        this.slowCheck = slowCheck;
        this.slots = slots;
    }

    /** @throws LoginBusyException when the password needs the slow check and no slot is free */
    boolean matches(char[] password) {
        byte[] mac = PasswordHmac.of(cacheKey, password);
        byte[] known = accepted;
        if (known != null) {
            return MessageDigest.isEqual(known, mac);
        }
        String macKey = java.util.Base64.getEncoder().encodeToString(mac);
        if (rejected.containsKey(macKey)) {
            return false;
        }
        if (!slots.tryAcquire()) {
            throw new LoginBusyException(1);
        }
        try {
            if (slowCheck.test(password)) {
                accepted = mac;
                return true;
            }
            rejected.put(macKey, Boolean.TRUE);
            return false;
        } finally {
            slots.release();
        }
    }
}
