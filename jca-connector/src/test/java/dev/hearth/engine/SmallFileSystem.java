package dev.hearth.engine;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real, small ext4 file system on a loop device, to fill up in disk-full tests. Needs root and
 * {@code mkfs.ext4} (Debian's e2fsprogs); without them the test is skipped with the reason, or fails when
 * {@code HEARTH_REQUIRE_SYSTEM_PACKAGES=true} (CI, which runs as root).
 */
public final class SmallFileSystem implements AutoCloseable {

    private final Path mountPoint;

    private SmallFileSystem(Path mountPoint) {
        this.mountPoint = mountPoint;
    }

    /** Creates an image of {@code sizeMiB} MiB under {@code workDir}, formats it (no reserved blocks) and mounts it. */
    public static SmallFileSystem mount(Path workDir, int sizeMiB) throws IOException, InterruptedException {
        Path image = workDir.resolve("fs.img");
        Path mountPoint = Files.createDirectories(workDir.resolve("mnt"));
        boolean ready = "root".equals(System.getProperty("user.name"))
                && run("truncate", "-s", sizeMiB + "M", image.toString())
                && run("mkfs.ext4", "-q", "-F", "-m", "0", image.toString())
                && run("mount", "-o", "loop", image.toString(), mountPoint.toString());
        if (!ready) {
            String reason = "a loop-mounted ext4 file system needs root, mkfs.ext4 (Debian package 'e2fsprogs') "
                    + "and loop devices";
            if (Boolean.parseBoolean(System.getenv("HEARTH_REQUIRE_SYSTEM_PACKAGES"))) {
                fail(reason + "; HEARTH_REQUIRE_SYSTEM_PACKAGES=true makes this a failure");
            }
            System.out.println("SKIPPED: " + reason);
            assumeTrue(false, reason);
        }
        return new SmallFileSystem(mountPoint);
    }

    public Path root() {
        return mountPoint;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run("umount", "-l", mountPoint.toString());
    }

    private static boolean run(String... command) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        } catch (IOException e) {
            return false;
        }
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return false;
        }
        if (process.exitValue() != 0) {
            System.out.println(String.join(" ", command) + " failed: " + output);
            return false;
        }
        return true;
    }
}
