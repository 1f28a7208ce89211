package dev.hearth.platform.database;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Optional;
import java.util.logging.Logger;

import javax.sql.DataSource;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The data source class behind {@code java:global/hearth/jdbc/hearth} (a {@code @DataSourceDefinition}): the server pools
 * and enlists its connections as for any data source; which database they come from is decided here, from
 * {@link DatabaseSettings} read through MicroProfile Config when the pool first asks for a connection. A
 * {@code @DataSourceDefinition} alone could not do this: its URL is a constant, and Payara resolves
 * {@code ${MPCONFIG=…}} in it only from system properties and without a computed default.
 *
 * <p>Thread-safety: the pool may call {@link #getConnection()} from many threads; the delegate is created once.
 */
public class HearthDataSource implements DataSource {

    private volatile DataSource delegate;
    private volatile DatabaseSettings settings;
    private PrintWriter logWriter;
    private int loginTimeoutSeconds;

    /** The settings this data source connects with, read on first use. */
    public DatabaseSettings settings() {
        DatabaseSettings current = settings;
        if (current == null) {
            Config config = ConfigProvider.getConfig(HearthDataSource.class.getClassLoader());
            current = DatabaseSettings.from(key -> config.getOptionalValue(key, String.class));
            settings = current;
        }
        return current;
    }

    private DataSource delegate() throws SQLException {
        DataSource current = delegate;
        if (current == null) {
            synchronized (this) {
                current = delegate;
                if (current == null) {
                    current = open(settings());
                    delegate = current;
                }
            }
        }
        return current;
    }

    /**
     * The database the settings name. For the embedded H2 database the directory is made owner-only first and,
     * once a first connection has created or opened the files, so are they ({@link EmbeddedDatabaseDirectory}).
     */
    static DataSource open(DatabaseSettings settings) throws SQLException {
        if (settings.isPostgreSql()) {
            PGSimpleDataSource postgres = new PGSimpleDataSource();
            postgres.setUrl(settings.url());
            Optional.of(settings.user()).filter(user -> !user.isEmpty()).ifPresent(postgres::setUser);
            Optional.of(settings.password()).filter(password -> !password.isEmpty()).ifPresent(postgres::setPassword);
            return postgres;
        }
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(settings.url());
        h2.setUser(settings.user());
        h2.setPassword(settings.password());
        Path directory = settings.embeddedDirectory();
        if (directory != null) {
            try {
                EmbeddedDatabaseDirectory.prepare(directory);
                h2.getConnection().close();
                EmbeddedDatabaseDirectory.restrictFiles(directory);
            } catch (IOException e) {
                throw new SQLException("Cannot prepare the database directory " + directory + ": " + e, e);
            }
        }
        return h2;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return delegate().getConnection();
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
        return delegate().getConnection(user, password);
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    @Override
    public void setLoginTimeout(int seconds) {
        this.loginTimeoutSeconds = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeoutSeconds;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("java.util.logging is not used");
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        return delegate().unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || delegate().isWrapperFor(type);
    }
}
