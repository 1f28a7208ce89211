package dev.hearth.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;

/**
 * Tests that need a Debian package skip, saying why, when it is absent, so the README's test command
 * passes on a bare machine; with {@code HEARTH_REQUIRE_SYSTEM_PACKAGES=true} (set by .ci/run, which
 * installs the packages) absence is a failure instead. Shared by the engine's tests and, through this module's
 * test-jar, the end-to-end tests.
 */
public final class SystemPackages {

    private SystemPackages() {
    }

    public static void require(String executable, String debianPackage) {
        requireInstalled(onPath(executable), executable, debianPackage);
    }

    /** As {@link #require}, for software found elsewhere than on the PATH (e.g. PostgreSQL's server binaries). */
    public static void requireInstalled(boolean installed, String what, String debianPackage) {
        if (installed) {
            return;
        }
        String reason = what + " is not installed (Debian package '" + debianPackage + "'): apt-get install "
                + debianPackage;
        if (Boolean.parseBoolean(System.getenv("HEARTH_REQUIRE_SYSTEM_PACKAGES"))) {
            fail(reason + "; HEARTH_REQUIRE_SYSTEM_PACKAGES=true makes this a failure");
        }
        System.out.println("SKIPPED: " + reason);
        assumeTrue(false, reason);
    }

    private static boolean onPath(String executable) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (new File(dir, executable).canExecute()) {
                return true;
            }
        }
        return false;
    }
}
