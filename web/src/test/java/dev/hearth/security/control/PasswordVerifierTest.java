package dev.hearth.security.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/**
 * 200 wrong passwords right after a start once ran 200 PBKDF2 derivations at once and stalled the server. The
 * verifier runs the real PBKDF2 hash here and counts how often it is asked.
 */
class PasswordVerifierTest {

    private final byte[] cacheKey = new byte[32];
    private final PasswordHash hash = PasswordHash.of("right".toCharArray(), new SecureRandom());
    private final AtomicInteger slowChecks = new AtomicInteger();

    private PasswordVerifier verifier(Semaphore slots) {
        return new PasswordVerifier(cacheKey, password -> {
            slowChecks.incrementAndGet();
            return hash.matches(password);
        }, slots);
    }

    @Test
    void twoHundredConcurrentRepeatsOfAWrongPasswordCostAtMostOneCheckPerSlot() throws Exception {
        PasswordVerifier verifier = verifier(new Semaphore(1));
        ExecutorService clients = Executors.newFixedThreadPool(16);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<String>> attempts = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                attempts.add(clients.submit(() -> {
                    start.await();
                    try {
                        return verifier.matches("wrong".toCharArray()) ? "accepted" : "rejected";
                    } catch (LoginBusyException e) {
                        return "busy";
                    }
                }));
            }
            start.countDown();
            for (Future<String> attempt : attempts) {
                assertTrue(List.of("rejected", "busy").contains(attempt.get(60, TimeUnit.SECONDS)), "never accepted");
            }
        } finally {
            clients.shutdownNow();
        }
        assertEquals(1, slowChecks.get(), "one PBKDF2 for 200 attempts: the others were refused while it ran or "
                + "answered from the remembered rejection");
        assertFalse(verifier.matches("wrong".toCharArray()), "a repeat is answered from memory");
        assertEquals(1, slowChecks.get(), "without another PBKDF2");
    }

    @Test
    void afterTheRightPasswordEveryAttemptIsAnsweredWithoutPbkdf2() {
        PasswordVerifier verifier = verifier(new Semaphore(1));
        assertTrue(verifier.matches("right".toCharArray()), "the right password is accepted");
        for (int i = 0; i < 100; i++) {
            assertFalse(verifier.matches(("guess-" + i).toCharArray()), "guesses are rejected");
        }
        assertTrue(verifier.matches("right".toCharArray()), "and the right one accepted again");
        assertEquals(1, slowChecks.get(), "only the first check ran PBKDF2");
    }

    @Test
    void aNewPasswordFindingNoFreeSlotIsRefusedAtOnce() {
        Semaphore slots = new Semaphore(0);
        LoginBusyException busy = assertThrows(LoginBusyException.class,
                () -> verifier(slots).matches("anything".toCharArray()), "no slot: not checked, not queued");
        assertEquals(1, busy.retryAfterSeconds(), "the client is told when to retry");
        assertEquals(0, slowChecks.get(), "no PBKDF2 ran");
    }
}
