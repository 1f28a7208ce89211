package dev.hearth.platform.control;

import javax.sql.DataSource;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.annotation.sql.DataSourceDefinitions;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import dev.hearth.platform.database.DatabaseSettings;
import dev.hearth.platform.database.HearthDataSource;
import dev.hearth.platform.database.SchemaMigration;

/**
 * Hearth's database: defines the pooled, JTA-enlisted data source {@code java:global/hearth/jdbc/hearth} (H2 in the
 * data directory by default, PostgreSQL by {@code hearth.db.url}), which Hearth uses and shares with the
 * applications next to it, and migrates its schema at deployment, before any bean uses it (beans that do are
 * {@code @DependsOn("HearthDatabase")}). A database that cannot be reached or migrated fails the deployment with the
 * reason, instead of failing later on the first write. Hearth's persistence unit opens the shared pool while
 * hearth.war loads, so the pool's data source class is loaded by hearth.war, which applications cannot do. The same
 * database is also defined as {@code java:app/jdbc/hearth}, a pool of its own, for overlays of hearth.war written
 * before the global name (a persistence unit cannot name a resource-ref alias).
 */
@DataSourceDefinitions({
        @DataSourceDefinition(name = HearthDatabase.JNDI_NAME,
                className = "dev.hearth.platform.database.HearthDataSource",
                minPoolSize = 0, maxPoolSize = 16, transactional = true),
        @DataSourceDefinition(name = HearthDatabase.OVERLAY_JNDI_NAME,
                className = "dev.hearth.platform.database.HearthDataSource",
                minPoolSize = 0, maxPoolSize = 16, transactional = true)})
@Singleton
@Startup
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class HearthDatabase {

    public static final String JNDI_NAME = "java:global/hearth/jdbc/hearth";
    /** The same database for overlays of hearth.war. */
    public static final String OVERLAY_JNDI_NAME = "java:app/jdbc/hearth";

    @Resource(lookup = JNDI_NAME)
    DataSource dataSource;

    private DatabaseSettings settings;
    private String schemaVersion;

    @PostConstruct
    void migrate() {
        Config config = ConfigProvider.getConfig(HearthDataSource.class.getClassLoader());
        settings = DatabaseSettings.from(key -> config.getOptionalValue(key, String.class));
        schemaVersion = SchemaMigration.migrate(dataSource, settings.describe());
    }

    /** The database URL without options or credentials, e.g. {@code jdbc:postgresql://db:5432/hearth}. */
    public String description() {
        return settings.describe();
    }

    public String schemaVersion() {
        return schemaVersion;
    }
}
