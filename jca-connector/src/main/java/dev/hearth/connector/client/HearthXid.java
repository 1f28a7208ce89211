package dev.hearth.connector.client;

import java.nio.ByteBuffer;
import java.util.Arrays;

import javax.transaction.xa.Xid;

/** A value copy of a transaction manager's {@link Xid}, comparable and storable (as the XA spec defines identity). */
public record HearthXid(int formatId, byte[] globalTransactionId, byte[] branchQualifier) implements Xid {

    public static HearthXid of(Xid xid) {
        return xid instanceof HearthXid own ? own
                : new HearthXid(xid.getFormatId(), xid.getGlobalTransactionId().clone(), xid.getBranchQualifier().clone());
    }

    public byte[] encode() {
        ByteBuffer buffer = ByteBuffer.allocate(12 + globalTransactionId.length + branchQualifier.length);
        buffer.putInt(formatId).putInt(globalTransactionId.length).put(globalTransactionId)
                .putInt(branchQualifier.length).put(branchQualifier);
        return buffer.array();
    }

    public static HearthXid decode(ByteBuffer encoded) {
        ByteBuffer buffer = encoded.duplicate();
        int formatId = buffer.getInt();
        byte[] global = new byte[buffer.getInt()];
        buffer.get(global);
        byte[] branch = new byte[buffer.getInt()];
        buffer.get(branch);
        return new HearthXid(formatId, global, branch);
    }

    @Override
    public int getFormatId() {
        return formatId;
    }

    @Override
    public byte[] getGlobalTransactionId() {
        return globalTransactionId.clone();
    }

    @Override
    public byte[] getBranchQualifier() {
        return branchQualifier.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof HearthXid that && formatId == that.formatId
                && Arrays.equals(globalTransactionId, that.globalTransactionId)
                && Arrays.equals(branchQualifier, that.branchQualifier);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * formatId + Arrays.hashCode(globalTransactionId)) + Arrays.hashCode(branchQualifier);
    }
}
