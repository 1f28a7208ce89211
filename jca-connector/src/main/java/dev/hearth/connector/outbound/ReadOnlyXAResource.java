package dev.hearth.connector.outbound;

import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

/**
 * The XA resource of a connection on a Kafka cluster: the container enlists every connection of an XA-capable
 * adapter, but there a send joins the transaction through the outbox, as rows in the application's database, so
 * this branch has nothing to prepare (it votes read-only) and nothing to recover.
 *
 * <p>Thread-safety: stateless.
 */
final class ReadOnlyXAResource implements XAResource {

    @Override
    public void start(Xid xid, int flags) {
        // Nothing is written through this branch.
    }

    @Override
    public void end(Xid xid, int flags) {
        // Nothing is written through this branch.
    }

    @Override
    public int prepare(Xid xid) {
        return XA_RDONLY;
    }

    @Override
    public void commit(Xid xid, boolean onePhase) {
        // Read-only: nothing to commit.
    }

    @Override
    public void rollback(Xid xid) {
        // Read-only: nothing to roll back.
    }

    @Override
    public void forget(Xid xid) {
        // Nothing is ever heuristically decided.
    }

    @Override
    public Xid[] recover(int flag) {
        return new Xid[0];
    }

    @Override
    public boolean isSameRM(XAResource other) {
        return other == this;
    }

    @Override
    public int getTransactionTimeout() {
        return 0;
    }

    @Override
    public boolean setTransactionTimeout(int seconds) {
        return false;
    }
}
