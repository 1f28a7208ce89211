package dev.hearth.record.outboxapp;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;

/**
 * A user's application with its own XA database (H2 in a file the test names through MicroProfile Config,
 * {@code accounts.db.url}), which it also declares as its outbox for sends in JTA transactions on a Kafka cluster
 * ({@code java:app/env/hearth/outbox}): the outbox rows and the application's own rows commit in one database
 * transaction.
 */
@DataSourceDefinition(name = AccountsDatabase.JNDI_NAME, className = "org.h2.jdbcx.JdbcDataSource",
        url = "${MPCONFIG=accounts.db.url}", user = "sa", password = "", transactional = true, maxPoolSize = 8)
@Resource(name = "java:app/env/hearth/outbox", lookup = AccountsDatabase.JNDI_NAME, type = DataSource.class)
@Singleton
@Startup
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class AccountsDatabase {

    public static final String JNDI_NAME = "java:app/jdbc/accounts";

    @Resource(lookup = JNDI_NAME)
    DataSource dataSource;

    @PostConstruct
    void createTable() {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS account_event (account VARCHAR(40) NOT NULL, "
                    + "seq INT NOT NULL, PRIMARY KEY (account, seq))");
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create account_event", e);
        }
    }
}
