package dev.hearth.platform.database;

import java.util.logging.Logger;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Creates and migrates Hearth's tables with Flyway from the versioned scripts in {@code db/migration/hearth}
 * (the same scripts for H2 and PostgreSQL). Idempotent: applied versions are recorded in
 * {@code hearth_schema_history} and skipped; other tables in the same schema (an application sharing the
 * database) are left alone; a failed migration leaves the schema at the last good version and
 * fails the deployment rather than starting on a half-migrated schema.
 */
public final class SchemaMigration {

    private static final Logger LOG = Logger.getLogger(SchemaMigration.class.getName());

    private SchemaMigration() {
    }

    /** Migrates to the latest version and returns the schema version now in place. */
    public static String migrate(DataSource dataSource, String databaseDescription) {
        Flyway flyway = Flyway.configure(SchemaMigration.class.getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:db/migration/hearth")
                .table("hearth_schema_history")
                // The database may be shared with applications whose tables exist before Hearth's first start:
                // begin Hearth's history at version 0 there instead of refusing a non-empty schema.
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load();
        MigrateResult result = flyway.migrate();
        String version = result.targetSchemaVersion != null ? result.targetSchemaVersion
                : flyway.info().current().getVersion().getVersion();
        LOG.info(() -> "HEARTH-0901 Database " + databaseDescription + " at schema version " + version + " ("
                + result.migrationsExecuted + " migration(s) applied now)");
        return version;
    }
}
