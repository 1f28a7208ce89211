package dev.hearth.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for one test class, from the Debian package's binaries: a new cluster in a
 * temporary directory on a free loopback port, trusted local connections, superuser {@code hearth}, database
 * {@code hearth}. Started by the test, stopped and deleted by {@link #close}. When the machine runs as root
 * (CI containers), the server runs as the package's {@code postgres} user, since PostgreSQL refuses root.
 *
 * <p>{@link #startWithLogicalDecoding()} starts one a change-data-capture connector can read: {@code wal_level=logical},
 * room for replication connections and slots, prepared transactions (XA) allowed, and a login role {@value #REPLICATION_USER} with {@code REPLICATION}
 * (initdb's trust rules admit replication connections from 127.0.0.1).
 *
 * <p>Thread safety: {@link #connect()} and the accessors may be called from any thread; start and
 * {@link #close()} once each, by the owning test.
 */
public final class PostgresServer implements AutoCloseable {

    private static final String USER = "hearth";
    /** The role of replication (logical decoding) clients on a {@link #startWithLogicalDecoding()} server. */
    public static final String REPLICATION_USER = "replicator";
    /**
     * Server settings of logical decoding ({@code -c} options of {@code postgres}), and prepared transactions, so that
     * the test's XA data sources on the same server can take part in two-phase commit.
     */
    private static final List<String> LOGICAL_DECODING = List.of("wal_level=logical", "max_wal_senders=10",
            "max_replication_slots=10", "max_prepared_transactions=20");

    private final Path binaries;
    private final Path dataDir;
    private final int port;
    private final boolean asPostgresUser;

    private PostgresServer(Path binaries, Path dataDir, int port, boolean asPostgresUser) {
        this.binaries = binaries;
        this.dataDir = dataDir;
        this.port = port;
        this.asPostgresUser = asPostgresUser;
    }

    /** Starts a server; skips the calling test (or fails it in CI) when PostgreSQL is not installed. */
    public static PostgresServer start() {
        return start(List.of());
    }

    /**
     * Starts a server for logical decoding (see the class comment); skips the calling test (or fails it in CI) when
     * PostgreSQL is not installed.
     */
    public static PostgresServer startWithLogicalDecoding() {
        PostgresServer server = start(LOGICAL_DECODING);
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE ROLE " + REPLICATION_USER + " WITH LOGIN REPLICATION");
            return server;
        } catch (SQLException e) {
            server.close();
            throw new IllegalStateException("PostgreSQL refused to create the replication role", e);
        }
    }

    /** Starts a server with extra {@code postgres -c} settings ({@code name=value}). */
    private static PostgresServer start(List<String> settings) {
        Optional<Path> binaries = installedBinaries();
        SystemPackages.requireInstalled(binaries.isPresent(), "PostgreSQL (initdb, pg_ctl)", "postgresql");
        boolean root = "root".equals(System.getProperty("user.name"));
        try {
            Path dataDir = Files.createTempDirectory(Path.of("/tmp"), "hearth-pg-");
            PostgresServer server = new PostgresServer(binaries.orElseThrow(), dataDir, freePort(), root);
            if (root) {
                run(List.of("chown", "postgres:postgres", dataDir.toString()));
            }
            server.runAsOwner(List.of("initdb", "-D", dataDir.resolve("cluster").toString(), "-U", USER,
                    "-A", "trust", "--no-sync", "-E", "UTF8"));
            server.runAsOwner(List.of("pg_ctl", "-D", dataDir.resolve("cluster").toString(), "-w", "-t", "60",
                    "-l", dataDir.resolve("server.log").toString(), "-o",
                    "-p " + server.port + " -k " + dataDir + " -c listen_addresses=127.0.0.1"
                            + settings.stream().map(setting -> " -c " + setting).collect(Collectors.joining()),
                    "start"));
            try (Connection connection = DriverManager.getConnection(server.jdbcUrl("postgres"), USER, "");
                 Statement statement = connection.createStatement()) {
                statement.execute("CREATE DATABASE hearth");
            }
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL started but refused the test's connection", e);
        }
    }

    public String jdbcUrl() {
        return jdbcUrl("hearth");
    }

    /** The loopback port the server listens on. */
    public int port() {
        return port;
    }

    /** The JDBC URL of {@code database} on this server (another database made with CREATE DATABASE, say). */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public String user() {
        return USER;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), USER, "");
    }

    @Override
    public void close() {
        try {
            runAsOwner(List.of("pg_ctl", "-D", dataDir.resolve("cluster").toString(), "-m", "immediate", "-w", "stop"));
        } finally {
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                System.err.println("Could not delete " + dataDir + ": " + e);
            }
        }
    }

    private void runAsOwner(List<String> command) {
        List<String> full = new ArrayList<>();
        if (asPostgresUser) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.add(binaries.resolve(command.get(0)).toString());
        full.addAll(command.subList(1, command.size()));
        run(full);
    }

    private static void run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted running " + command, e);
        }
    }

    /** The newest {@code /usr/lib/postgresql/<major>/bin} with initdb, as the Debian package lays it out. */
    private static Optional<Path> installedBinaries() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(version -> version.resolve("bin"))
                    .filter(bin -> Files.isExecutable(bin.resolve("initdb")))
                    .max(Comparator.comparingInt(bin -> Integer.parseInt(bin.getParent().getFileName().toString()
                            .replaceAll("\\D", "0"))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
