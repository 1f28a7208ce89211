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
 * Hearth's database: defines the pooled, JTA-enlisted data source {@code java:app/jdbc/hearth} (H2 in the data
 * directory by default, PostgreSQL by {@code hearth.db.url}) and migrates its schema at deployment, before any
 * bean uses it (beans that do are {@code @DependsOn("HearthDatabase")}). A database that cannot be reached or
 * migrated fails the deployment with the reason, instead of failing later on the first write. The same database is
 * also defined as {@code java:global/hearth/jdbc/hearth}, a pool of its own, for applications next to Hearth (a
 * persistence unit cannot name another application's {@code java:app} resource, nor an alias of it).
 */
@DataSourceDefinitions({
        @DataSourceDefinition(name = HearthDatabase.JNDI_NAME,
                className = "dev.hearth.platform.database.HearthDataSource",
                minPoolSize = 0, maxPoolSize = 16, transactional = true),
        @DataSourceDefinition(name = HearthDatabase.SHARED_JNDI_NAME,
                className = "dev.hearth.platform.database.HearthDataSource",
                minPoolSize = 0, maxPoolSize = 16, transactional = true)})
@Singleton
@Startup
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class HearthDatabase {

    public static final String JNDI_NAME = "java:app/jdbc/hearth";
    /** The same database for the applications deployed next to Hearth. */
    public static final String SHARED_JNDI_NAME = "java:global/hearth/jdbc/hearth";

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
