package dev.hearth.mdb.orders;

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
 * A user's own application next to Hearth (orders.war, not a copy of hearth.war): its XA data source is H2's
 * {@code JdbcDataSource} in a file the test names through MicroProfile Config ({@code orders.db.url}, a system
 * property of the server), and its table is created at deployment.
 */
@DataSourceDefinition(name = OrdersDatabase.JNDI_NAME, className = "org.h2.jdbcx.JdbcDataSource",
        url = "${MPCONFIG=orders.db.url}", user = "sa", password = "", transactional = true, maxPoolSize = 8)
@Singleton
@Startup
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class OrdersDatabase {

    public static final String JNDI_NAME = "java:app/jdbc/orders";

    @Resource(lookup = JNDI_NAME)
    DataSource dataSource;

    @PostConstruct
    void createTable() {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS order_entry (id BIGINT AUTO_INCREMENT PRIMARY KEY, "
                    + "entry VARCHAR(100) NOT NULL, record_partition INT NOT NULL, record_offset BIGINT NOT NULL)");
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create order_entry", e);
        }
    }
}
