package dev.hearth.connector.inbound;

import dev.hearth.connector.client.XaOffsetLog;

import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

/**
 * Enlists a delivery's offset commit in the container's JTA transaction: the offset advances if and only
 * if the transaction commits. Prepare makes the pending commit durable in {@link XaOffsetLog}; commit
 * applies it; rollback forgets it, so the record is delivered again. A resource created for recovery
 * ({@code pending == null}) only completes branches found by {@link #recover}.
 *
 * <p>Thread-safety: one transaction branch at a time, as JTA uses it; state lives in the log.
 */
final class OffsetCommitXAResource implements XAResource {

    private final XaOffsetLog log;
    private final XaOffsetLog.PreparedCommit pending;
    /** Whether the last branch ended in rollback; read by the dispatcher to redeliver. */
    private volatile boolean rolledBack;

    OffsetCommitXAResource(XaOffsetLog log, XaOffsetLog.PreparedCommit pending) {
        this.log = log;
        this.pending = pending;
    }

    boolean rolledBack() {
        return rolledBack;
    }

    @Override
    public void start(Xid xid, int flags) {
        rolledBack = false;
    }

    @Override
    public void end(Xid xid, int flags) {
        // Nothing is written during the branch; all work happens at prepare and commit.
    }

    @Override
    public int prepare(Xid xid) throws XAException {
        if (pending == null) {
            throw new XAException(XAException.XAER_PROTO);
        }
        try {
            log.prepare(xid, pending);
            return XA_OK;
        } catch (RuntimeException e) {
            throw failure(XAException.XAER_RMERR, e);
        }
    }

    @Override
    public void commit(Xid xid, boolean onePhase) throws XAException {
        try {
            log.commit(xid, onePhase ? pending : null);
        } catch (RuntimeException e) {
            throw failure(XAException.XAER_RMERR, e);
        }
    }

    @Override
    public void rollback(Xid xid) throws XAException {
        rolledBack = true;
        try {
            log.rollback(xid);
        } catch (RuntimeException e) {
            throw failure(XAException.XAER_RMERR, e);
        }
    }

    @Override
    public Xid[] recover(int flag) {
        if ((flag & TMSTARTRSCAN) == 0 && flag != TMNOFLAGS) {
            return new Xid[0];
        }
        return log.preparedXids().toArray(new Xid[0]);
    }

    @Override
    public void forget(Xid xid) throws XAException {
        rollback(xid);
    }

    @Override
    public boolean isSameRM(XAResource other) {
        return other instanceof OffsetCommitXAResource that && that.log == log;
    }

    @Override
    public int getTransactionTimeout() {
        return 0;
    }

    @Override
    public boolean setTransactionTimeout(int seconds) {
        return false;
    }

    private static XAException failure(int code, RuntimeException cause) {
        XAException e = new XAException(code);
        e.initCause(cause);
        return e;
    }
}
