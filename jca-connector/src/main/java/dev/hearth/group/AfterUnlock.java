package dev.hearth.group;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Work a group operation leaves for after the group's monitor is released: completing futures, which runs
 * the callers' continuations (writing a response, an activation's callback) on the completing thread, and
 * logging. Neither belongs under the lock: continuations could block or call back into the group, and log
 * handlers do I/O.
 *
 * <p>Thread-safety: confined to the thread of one coordinator call.
 */
final class AfterUnlock {

    private static final Logger LOG = Logger.getLogger(GroupCoordinator.class.getName());

    private final List<Runnable> actions = new ArrayList<>();

    <T> void complete(CompletableFuture<T> future, T value) {
        actions.add(() -> future.complete(value));
    }

    /** Builds the message now, under the lock (so it sees the state it describes), and logs it later. */
    void log(Level level, Supplier<String> message) {
        if (LOG.isLoggable(level)) {
            String text = message.get();
            actions.add(() -> LOG.log(level, text));
        }
    }

    /** Runs everything collected, in the order collected. */
    void run() {
        for (Runnable action : actions) {
            action.run();
        }
        actions.clear();
    }
}
