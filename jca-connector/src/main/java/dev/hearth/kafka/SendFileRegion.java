package dev.hearth.kafka;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.stream.ChunkedInput;

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
 *
 * <p>TLS cannot send file regions: over SSL the same response is read in {@link #chunks} of at most
 * {@value #CHUNK_BYTES} bytes for Netty's {@code ChunkedWriteHandler} to hand to the {@code SslHandler}, so a large
 * fetch never becomes one large buffer (Kafka's broker also copies through its SSL buffers).
 */
final class SendFileRegion extends AbstractReferenceCounted implements FileRegion {

    static final int CHUNK_BYTES = 64 * 1024;

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

    /** This response as heap chunks, for a channel with TLS; use either this or the region, not both. */
    ChunkedInput<ByteBuf> chunks() {
        return new ChunkedInput<>() {
            @Override
            public boolean isEndOfInput() {
                return transferred >= size;
            }

            @Override
            public void close() {
            }

            @Override
            @Deprecated
            public ByteBuf readChunk(ChannelHandlerContext ctx) throws Exception {
                return readChunk(ctx.alloc());
            }

            @Override
            public ByteBuf readChunk(ByteBufAllocator allocator) throws IOException {
                if (isEndOfInput()) {
                    return null;
                }
                ByteBuf chunk = allocator.heapBuffer((int) Math.min(CHUNK_BYTES, size - transferred));
                try {
                    transferred += send.writeTo(new Transferable(new ChunkChannel(chunk)));
                    return chunk;
                } catch (IOException | RuntimeException e) {
                    chunk.release();
                    throw e;
                }
            }

            @Override
            public long length() {
                return size;
            }

            @Override
            public long progress() {
                return transferred;
            }
        };
    }

    /** A channel that fills one chunk and then accepts nothing more (a partial write, as sockets do). */
    private static final class ChunkChannel implements WritableByteChannel {
        private final ByteBuf chunk;

        ChunkChannel(ByteBuf chunk) {
            this.chunk = chunk;
        }

        @Override
        public int write(ByteBuffer source) {
            int bytes = Math.min(source.remaining(), chunk.maxWritableBytes());
            ByteBuffer part = source.slice();
            part.limit(bytes);
            chunk.writeBytes(part);
            source.position(source.position() + bytes);
            return bytes;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
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
