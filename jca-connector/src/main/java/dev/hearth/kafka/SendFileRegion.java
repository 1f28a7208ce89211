package dev.hearth.kafka;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;

import io.netty.channel.FileRegion;
import io.netty.util.AbstractReferenceCounted;

import org.apache.kafka.common.network.Send;
import org.apache.kafka.common.network.TransferableChannel;

/**
 * A Kafka {@link Send} (a response whose record sections may be file regions of segments) as a Netty
 * {@link FileRegion}: the socket transport calls {@link #transferTo} with the socket channel, and record
 * bytes move from the segment file with {@link FileChannel#transferTo}, never through the heap.
 * Not thread-safe: used by one channel's event loop.
 */
final class SendFileRegion extends AbstractReferenceCounted implements FileRegion {

    private final Send send;
    private final long size;
    private long transferred;

    SendFileRegion(Send send) {
        this.send = send;
        this.size = send.size();
    }

    @Override
    public long position() {
        return 0;
    }

    @Override
    @Deprecated
    public long transfered() {
        return transferred;
    }

    @Override
    public long transferred() {
        return transferred;
    }

    @Override
    public long count() {
        return size;
    }

    @Override
    public long transferTo(WritableByteChannel target, long position) throws IOException {
        long written = send.writeTo(new Transferable(target));
        transferred += written;
        return written;
    }

    @Override
    public FileRegion retain() {
        super.retain();
        return this;
    }

    @Override
    public FileRegion retain(int increment) {
        super.retain(increment);
        return this;
    }

    @Override
    public FileRegion touch() {
        return this;
    }

    @Override
    public FileRegion touch(Object hint) {
        return this;
    }

    @Override
    protected void deallocate() {
        // The segment files belong to the engine; nothing to release here.
    }

    /** The socket seen as Kafka's channel abstraction. */
    private static final class Transferable implements TransferableChannel {

        private final WritableByteChannel target;

        Transferable(WritableByteChannel target) {
            this.target = target;
        }

        @Override
        public boolean hasPendingWrites() {
            return false;
        }

        @Override
        public long transferFrom(FileChannel fileChannel, long position, long count) throws IOException {
            return fileChannel.transferTo(position, count, target);
        }

        @Override
        public long write(ByteBuffer[] sources, int offset, int length) throws IOException {
            if (target instanceof java.nio.channels.GatheringByteChannel gathering) {
                return gathering.write(sources, offset, length);
            }
            long total = 0;
            for (int i = offset; i < offset + length; i++) {
                int written = target.write(sources[i]);
                total += written;
                if (sources[i].hasRemaining()) {
                    break;
                }
            }
            return total;
        }

        @Override
        public long write(ByteBuffer[] sources) throws IOException {
            return write(sources, 0, sources.length);
        }

        @Override
        public int write(ByteBuffer source) throws IOException {
            return target.write(source);
        }

        @Override
        public boolean isOpen() {
            return target.isOpen();
        }

        @Override
        public void close() throws IOException {
            target.close();
        }
    }
}
