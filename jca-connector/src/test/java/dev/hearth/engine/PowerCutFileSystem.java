package dev.hearth.engine;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The power-cut FUSE file system ({@code jca-connector/src/test/native/powercut/powercut.c}, see its header for
 * the model) mounted by a test: a directory whose content a simulated power cut rolls back to what was fsynced.
 * The build compiles it where Debian's libfuse3-dev is installed (system property {@code powercut.binary}, else
 * {@code target/native/powercut}); mounting needs {@code fusermount3} (Debian's fuse3) and {@code /dev/fuse}.
 * Without them {@link #mount(Path)} skips the test with the reason, or fails it when
 * {@code HEARTH_REQUIRE_SYSTEM_PACKAGES=true} (CI, which installs them).
 *
 * <p>Layout under {@code root}: {@code backing/} (the real files), {@code graveyard/} (unlinked inodes a cut may
 * bring back), {@code mnt/} (the mount point: give this to the program under test), {@code powercut.log} (the
 * file system's own output) and {@code cut-status} (one line per cut, written by the file system).
 *
 * <p>Life cycle: {@link #mount(Path)}, then any number of {@link #cutPower} (after which every request fails
 * with EIO, so whatever still runs on it can be closed, as if it died with the power) each followed by
 * {@link #remount}; {@link #close} unmounts, without a cut if none came before. Thread contract: one test
 * thread drives it.
 */
public final class PowerCutFileSystem implements AutoCloseable {

    /** Whether the unsynced tail of an appended file may partly survive a cut (see powercut.c). */
    public enum CutMode {
        /** Everything not fsynced is lost. */
        DROP_ALL("-USR1"),
        /** As DROP_ALL, except that an appended file may keep a random prefix of its tail, to a page boundary. */
        TORN("-USR2");

        private final String signal;

        CutMode(String signal) {
            this.signal = signal;
        }
    }

    private final Path binary;
    private final Path backing;
    private final Path graveyard;
    private final Path mountPoint;
    private final Path log;
    private final Path status;
    private Process process;

    private PowerCutFileSystem(Path binary, Path root) throws IOException {
        this.binary = binary;
        root = root.toAbsolutePath().normalize();
        this.backing = Files.createDirectories(root.resolve("backing"));
        this.graveyard = Files.createDirectories(root.resolve("graveyard"));
        this.mountPoint = Files.createDirectories(root.resolve("mnt"));
        this.log = root.resolve("powercut.log");
        this.status = root.resolve("cut-status");
    }

    /**
     * Mounts a new power-cut file system with its directories under {@code root} (created if absent), or skips
     * the calling test (fails it in CI) when the file system is not built or FUSE is unavailable.
     */
    public static PowerCutFileSystem mount(Path root) throws IOException {
        Path binary = Path.of(System.getProperty("powercut.binary", "target/native/powercut")).toAbsolutePath();
        String missing = !Files.isExecutable(binary)
                ? "the power-cut file system " + binary + " was not built: the build compiles it where Debian's "
                        + "libfuse3-dev (and pkg-config) is installed: apt-get install libfuse3-dev pkg-config"
                : !onPath("fusermount3") ? "fusermount3 is not installed (Debian package 'fuse3'): apt-get install fuse3"
                : !Files.exists(Path.of("/dev/fuse")) ? "/dev/fuse is absent: FUSE is not available here"
                : null;
        if (missing != null) {
            if (Boolean.parseBoolean(System.getenv("HEARTH_REQUIRE_SYSTEM_PACKAGES"))) {
                fail(missing + "; HEARTH_REQUIRE_SYSTEM_PACKAGES=true makes this a failure");
            }
            System.out.println("SKIPPED: " + missing);
            assumeTrue(false, missing);
        }
        try {
            return new PowerCutFileSystem(binary, root).remount();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while mounting the power-cut file system", e);
        }
    }

    /** Where the program under test keeps its files. */
    public Path mountPoint() {
        return mountPoint;
    }

    /**
     * Unmounts the file system (after a cut: the dead one) and mounts a new one over the backing directory,
     * everything in it durable; returns once it serves.
     */
    public PowerCutFileSystem remount() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            unmount();
        }
        process = new ProcessBuilder(binary.toString(), backing.toString(), graveyard.toString(), status.toString(),
                mountPoint.toString(), "-f")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        await("powercut mounted at " + mountPoint + " (log: " + log + ")")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new AssertionError("powercut exited with " + process.exitValue() + "; see " + log);
                    }
                    return mounted();
                });
        return this;
    }

    /**
     * The power cut: every request fails from now on and everything not fsynced is rolled back (per {@code mode}).
     * A process using the file system should be killed first (kill -9), as a machine that lost power runs
     * nothing; then {@link #remount}. Returns the file system's summary of what it rolled back.
     */
    public String cutPower(CutMode mode) throws IOException, InterruptedException {
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException("the power-cut file system is not mounted");
        }
        Files.deleteIfExists(status);
        run("kill", mode.signal, Long.toString(process.pid()));
        await("powercut rolled back (log: " + log + ")").atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(50)).until(() -> Files.exists(status));
        return Files.readString(status).strip();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            unmount();
        }
    }

    private void unmount() throws IOException, InterruptedException {
        if (run("fusermount3", "-u", mountPoint.toString()) != 0) {
            // Busy: something still holds a file open (after a cut, a program that died with the power but whose
            // descriptors are not closed yet). Detach it, and end the dead file system, which answers only EIO.
            run("fusermount3", "-u", "-z", mountPoint.toString());
            process.destroy();
        }
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("powercut did not exit within 30 s of its unmount; see " + log);
        }
    }

    private static boolean onPath(String executable) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (new File(dir, executable).canExecute()) {
                return true;
            }
        }
        return false;
    }

    private boolean mounted() throws IOException {
        String target = " " + mountPoint.toAbsolutePath() + " ";
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .anyMatch(line -> line.contains(target) && line.contains("fuse.powercut"));
    }

    private int run(String... command) throws IOException, InterruptedException {
        Process child = new ProcessBuilder(List.of(command)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!child.waitFor(1, TimeUnit.MINUTES)) {
            child.destroyForcibly();
            throw new UncheckedIOException(new IOException(String.join(" ", command) + " did not finish in a minute"));
        }
        return child.exitValue();
    }
}
