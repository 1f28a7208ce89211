package dev.hearth.connector.outbound;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.security.auth.Subject;
import javax.transaction.xa.XAResource;

import jakarta.resource.NotSupportedException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionEvent;
import jakarta.resource.spi.ConnectionEventListener;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.LocalTransaction;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionMetaData;

/**
 * A pooled physical connection. It holds no socket or file: the engine lives in the adapter, so creating
 * and destroying one is cheap. Tracks its handles so that cleanup and destroy invalidate them.
 * Thread-safety: the container uses one managed connection from one thread at a time; handle and listener
 * lists are concurrent because handles close from application threads.
 */
public class HearthManagedConnection implements ManagedConnection {

    private final HearthManagedConnectionFactory factory;
    private final List<HearthConnectionHandle> handles = new CopyOnWriteArrayList<>();
    private final List<ConnectionEventListener> listeners = new CopyOnWriteArrayList<>();
    private PrintWriter logWriter;
    /** The engine's XA branch of this connection; null until asked for, and always on a cluster. */
    private ProduceXAResource xaResource;
    /** On a cluster: sends join a transaction through the outbox, in the application's database (not a branch). */
    private XAResource readOnlyResource;

    HearthManagedConnection(HearthManagedConnectionFactory factory) {
        this.factory = factory;
    }

    HearthManagedConnectionFactory factory() {
        return factory;
    }

    @Override
    public Object getConnection(Subject subject, ConnectionRequestInfo info) {
        HearthConnectionHandle handle = new HearthConnectionHandle(this);
        handles.add(handle);
        return handle;
    }

    @Override
    public void associateConnection(Object connection) throws ResourceException {
        if (!(connection instanceof HearthConnectionHandle handle)) {
            throw new ResourceException("Not a Hearth connection handle: " + connection);
        }
        handle.managedConnection().handles.remove(handle);
        handle.associate(this);
        handles.add(handle);
    }

    /** Called by a handle's close: tells the container the managed connection can return to the pool. */
    void handleClosed(HearthConnectionHandle handle) {
        handles.remove(handle);
        ConnectionEvent event = new ConnectionEvent(this, ConnectionEvent.CONNECTION_CLOSED);
        event.setConnectionHandle(handle);
        for (ConnectionEventListener listener : listeners) {
            listener.connectionClosed(event);
        }
    }

    @Override
    public void cleanup() {
        handles.forEach(HearthConnectionHandle::invalidate);
        handles.clear();
    }

    @Override
    public void destroy() {
        cleanup();
    }

    @Override
    public void addConnectionEventListener(ConnectionEventListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeConnectionEventListener(ConnectionEventListener listener) {
        listeners.remove(listener);
    }

    /** Sends made while the container has this connection enlisted in a JTA transaction join that transaction. */
    @Override
    public synchronized XAResource getXAResource() {
        if (factory.adapter().onCluster()) {
            if (readOnlyResource == null) {
                readOnlyResource = new ReadOnlyXAResource();
            }
            return readOnlyResource;
        }
        if (xaResource == null) {
            xaResource = new ProduceXAResource(() -> factory.adapter().engineServices());
        }
        return xaResource;
    }

    /** The JTA branch sends currently belong to, or null. */
    synchronized dev.hearth.connector.client.TransactionalProducer currentTransaction() {
        return xaResource == null ? null : xaResource.currentTransaction();
    }

    @Override
    public LocalTransaction getLocalTransaction() throws ResourceException {
        throw new NotSupportedException("Hearth connections take part in JTA (XA) transactions only");
    }

    @Override
    public ManagedConnectionMetaData getMetaData() {
        return new ManagedConnectionMetaData() {
            @Override
            public String getEISProductName() {
                return "Hearth";
            }

            @Override
            public String getEISProductVersion() {
                return "0.1";
            }

            @Override
            public int getMaxConnections() {
                return 0;
            }

            @Override
            public String getUserName() {
                return null;
            }
        };
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }
}
