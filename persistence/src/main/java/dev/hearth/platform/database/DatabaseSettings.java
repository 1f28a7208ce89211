package dev.hearth.platform.database;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where Hearth's own tables live, from configuration ({@code hearth.db.url}, {@code hearth.db.user},
 * {@code hearth.db.password}). Without a URL: an embedded H2 database in {@code <hearth.data.dir>/database},
 * so a fresh install needs no database server and its tables survive restarts next to the log.
 *
 * @param url               a {@code jdbc:h2:} or {@code jdbc:postgresql:} URL
 * @param user              may be empty (H2 embedded)
 * @param password          may be empty
 * @param embeddedDirectory the directory of that embedded H2 database, which Hearth owns and keeps owner-only
 *                          ({@link EmbeddedDatabaseDirectory}); null when {@code hearth.db.url} names the database
 */
public record DatabaseSettings(String url, String user, String password, Path embeddedDirectory) {

    /** The data directory's default, as the resource adapter's: relative to the server's working directory. */
    static final String DEFAULT_DATA_DIR = "hearth-data";

    public DatabaseSettings {
        if (!url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("hearth.db.url must be a jdbc:h2: or jdbc:postgresql: URL, got: " + url);
        }
    }

    /** Reads the settings through {@code lookup} (MicroProfile Config, or system properties in plain tests). */
    public static DatabaseSettings from(Function<String, Optional<String>> lookup) {
        String user = lookup.apply("hearth.db.user").orElse("");
        String password = lookup.apply("hearth.db.password").orElse("");
        Optional<String> url = lookup.apply("hearth.db.url").filter(value -> !value.isBlank());
        if (url.isPresent()) {
            return new DatabaseSettings(url.get(), user, password, null);
        }
        Path directory = Path.of(lookup.apply("hearth.data.dir").orElse(DEFAULT_DATA_DIR)).toAbsolutePath()
                .resolve("database");
        // WRITE_DELAY=0: a commit reaches the file before it returns, so a killed process loses no committed
        // row (H2 otherwise buffers commits for up to 500 ms). DB_CLOSE_ON_EXIT=FALSE: the pool closes the
        // connections at undeploy; H2's own shutdown hook could close the database under a transaction.
        // LOCK_TIMEOUT=10000: on a Kafka cluster, sends in JTA transactions append to the outbox here, and appends
        // to one shard wait for each other's commit (H2's default 1 s would fail them under load).
        return new DatabaseSettings("jdbc:h2:file:" + directory.resolve("hearth")
                + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000",
                user, password, directory);
    }

    public boolean isPostgreSql() {
        return url.startsWith("jdbc:postgresql:");
    }

    /** The URL without credentials or options, for logs and the cluster view. */
    public String describe() {
        int options = url.indexOf(isPostgreSql() ? '?' : ';');
        return options < 0 ? url : url.substring(0, options);
    }
}
