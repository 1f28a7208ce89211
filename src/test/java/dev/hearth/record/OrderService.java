package dev.hearth.record;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.resource.ResourceException;

import dev.hearth.connector.api.HearthConnection;
import dev.hearth.connector.api.HearthConnectionFactory;

/** An application bean that writes a database row and a Hearth record in one container transaction. */
@Stateless
public class OrderService {

    @Resource(lookup = "java:app/hearth/ConnectionFactory")
    HearthConnectionFactory factory;

    @Resource(lookup = "java:comp/DefaultDataSource")
    DataSource dataSource;

    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public void createSchema() throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS placed_orders (order_id VARCHAR(40))");
        }
    }

    /** Throws after both writes when {@code fail}: the container must roll both back. */
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public void place(String orderId, boolean fail) throws ResourceException, SQLException {
        try (HearthConnection connection = factory.getConnection()) {
            connection.send("xa-orders", orderId.getBytes(StandardCharsets.UTF_8),
                    ("order " + orderId).getBytes(StandardCharsets.UTF_8), Map.of());
        }
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO placed_orders (order_id) VALUES (?)")) {
            insert.setString(1, orderId);
            insert.executeUpdate();
        }
        if (fail) {
            throw new IllegalStateException("order " + orderId + " fails after writing");
        }
    }
}
