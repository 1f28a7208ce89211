package dev.hearth.platform.boundary;

import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.hearth.connector.api.BrokerStatus;
import dev.hearth.connector.api.HearthConnectionException;
import dev.hearth.platform.control.LogConnections;

/** The adapter's engine state as health checks and the admin API report it. Thread-safe. */
@ApplicationScoped
public class BrokerStatusProbe {

    private static final Logger LOG = Logger.getLogger(BrokerStatusProbe.class.getName());

    @Inject
    LogConnections connections;

    public BrokerStatus status() {
        try {
            return connections.apply(connection -> connection.status());
        } catch (HearthConnectionException e) {
            LOG.log(Level.FINE, "Hearth adapter unreachable", e);
            return new BrokerStatus(BrokerStatus.State.FAILED, e.getMessage(), 0);
        }
    }
}
