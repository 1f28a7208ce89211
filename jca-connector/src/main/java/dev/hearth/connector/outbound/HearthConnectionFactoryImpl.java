package dev.hearth.connector.outbound;

import javax.naming.Reference;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionManager;

import dev.hearth.connector.api.HearthConnection;
import dev.hearth.connector.api.HearthConnectionFactory;

/** What applications look up: hands out container-pooled connection handles. Thread-safe. */
public class HearthConnectionFactoryImpl implements HearthConnectionFactory {

    private static final long serialVersionUID = 1L;

    private final transient HearthManagedConnectionFactory managedFactory;
    private final transient ConnectionManager connectionManager;
    private Reference reference;

    HearthConnectionFactoryImpl(HearthManagedConnectionFactory managedFactory, ConnectionManager connectionManager) {
        this.managedFactory = managedFactory;
        this.connectionManager = connectionManager;
    }

    @Override
    public HearthConnection getConnection() throws ResourceException {
        return (HearthConnection) connectionManager.allocateConnection(managedFactory, null);
    }

    @Override
    public void setReference(Reference reference) {
        this.reference = reference;
    }

    @Override
    public Reference getReference() {
        return reference;
    }
}
