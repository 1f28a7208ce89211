package dev.hearth.ear;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A Payara Server domain of a test's own, driven with the unpacked server's {@code asadmin} as an administrator
 * drives it: created under {@code domainsDir} with every port at a free base (so that it runs beside other servers on
 * the host, the Arquillian container's {@code domain1} included), started, given commands, stopped and deleted.
 * <p>Not thread-safe: one test thread drives it.
 */
final class PayaraDomain {

    /** Offsets from the port base that {@code create-domain --portbase} uses, plus 92 for Hearth's Kafka listener. */
    private static final int[] PORT_OFFSETS = {9, 37, 38, 39, 48, 66, 76, 80, 81, 86, 92};
    private static final long COMMAND_TIMEOUT_MS = TimeUnit.MINUTES.toMillis(4);
    /** How much of server.log a failed command's message carries. */
    private static final int SERVER_LOG_TAIL_LINES = 80;

    private final Path payaraHome;
    private final Path domainsDir;
    private final String name;
    private final int portBase;

    private PayaraDomain(Path payaraHome, Path domainsDir, String name, int portBase) {
        this.payaraHome = payaraHome;
        this.domainsDir = domainsDir;
        this.name = name;
        this.portBase = portBase;
    }

    /** Creates (not starts) a domain whose ports are all free now. */
    static PayaraDomain create(Path payaraHome, Path domainsDir, String name) {
        PayaraDomain domain = new PayaraDomain(payaraHome, domainsDir, name, freePortBase());
        domain.asadminOffline("create-domain", "--domaindir", domainsDir.toString(),
                "--portbase", Integer.toString(domain.portBase), "--nopassword", "--checkports=true", name);
        return domain;
    }

    void start() {
        asadminOffline("start-domain", "--domaindir", domainsDir.toString(), name);
    }

    /** Stops (if running) and deletes the domain; safe to call when it never started. */
    void destroy() {
        run(List.of("stop-domain", "--domaindir", domainsDir.toString(), "--kill=true", name), false);
        asadminOffline("delete-domain", "--domaindir", domainsDir.toString(), name);
    }

    /**
     * Runs an asadmin command against the running domain; fails unless it succeeds, with asadmin's output and the
     * end of the server's log, where the cause of a failed deployment is.
     */
    String asadmin(String... command) {
        List<String> line = new ArrayList<>(List.of("--port", Integer.toString(adminPort()), "--user", "admin"));
        line.addAll(List.of(command));
        try {
            return run(line, true);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n--- end of " + serverLog() + ":\n" + serverLogTail(), e);
        }
    }

    int adminPort() {
        return portBase + 48;
    }

    URI httpBase() {
        return URI.create("http://127.0.0.1:" + (portBase + 80));
    }

    /** The port for Hearth's Kafka listener: free when the base was chosen, like the domain's own. */
    int kafkaPort() {
        return portBase + 92;
    }

    private Path serverLog() {
        return domainsDir.resolve(name).resolve("logs/server.log");
    }

    private String serverLogTail() {
        try {
            List<String> lines = Files.readAllLines(serverLog(), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - SERVER_LOG_TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private String asadminOffline(String... command) {
        return run(List.of(command), true);
    }

    private String run(List<String> command, boolean mustSucceed) {
        List<String> line = new ArrayList<>();
        line.add(payaraHome.resolve("bin/asadmin").toString());
        line.add("--interactive=false");
        line.addAll(command);
        try {
            Path output = Files.createTempFile("asadmin-", ".out");
            try {
                ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true)
                        .redirectOutput(output.toFile());
                builder.environment().put("AS_JAVA", System.getProperty("java.home"));
                Process process = builder.start();
                if (!process.waitFor(COMMAND_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError("asadmin " + command + " did not finish in " + COMMAND_TIMEOUT_MS
                            + " ms: " + Files.readString(output, StandardCharsets.UTF_8));
                }
                String text = Files.readString(output, StandardCharsets.UTF_8);
                if (mustSucceed && process.exitValue() != 0) {
                    throw new AssertionError("asadmin " + command + " failed (" + process.exitValue() + "): " + text);
                }
                return text;
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running asadmin " + command, e);
        }
    }

    /** Bases stay below Linux's ephemeral range (32768 and up), where client sockets could take a port. */
    private static int freePortBase() {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(200, 320) * 100;
            if (allFree(base)) {
                return base;
            }
        }
        throw new AssertionError("no port base with all of its ports free after 50 tries");
    }

    private static boolean allFree(int base) {
        for (int offset : PORT_OFFSETS) {
            try (ServerSocket socket = new ServerSocket(base + offset, 1, InetAddress.getByName("0.0.0.0"))) {
                socket.setReuseAddress(true);
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }
}
