package dev.hearth.engine.internal;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * Record key → highest offset seen for it, for one cleaning pass of the {@link LogCleaner}: a fixed-capacity
 * open-addressing table of 16-byte MD5 digests of the keys and {@code long} offsets, as Kafka's
 * {@code SkeinOffsetMap}. Memory is fixed at creation (about 32 bytes a slot, slots = capacity / 0.75) and
 * independent of key sizes.
 *
 * <p>Two distinct keys with the same MD5 digest would share an entry, and the older one's records could be
 * cleaned away; the probability is negligible (as in Kafka, which makes the same trade).
 *
 * <p>Thread-safety: none; one pass, one thread.
 */
final class OffsetMap {

    private static final int DIGEST_BYTES = 16;
    private static final double LOAD_FACTOR = 0.75;

    private final int capacity;
    private final int slots;
    private final byte[] digests;
    /** Offset per slot; -1 marks a free slot. */
    private final long[] offsets;
    private final MessageDigest md5;
    private final byte[] scratch = new byte[DIGEST_BYTES];
    private int size;

    /** @param capacity most distinct keys the map holds */
    OffsetMap(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive, not " + capacity);
        }
        this.capacity = capacity;
        this.slots = (int) Math.min(Integer.MAX_VALUE - 8, (long) Math.ceil(capacity / LOAD_FACTOR) + 1);
        this.digests = new byte[Math.multiplyExact(slots, DIGEST_BYTES)];
        this.offsets = new long[slots];
        Arrays.fill(offsets, -1L);
        try {
            this.md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JVM lacks MD5, which every Java platform must provide", e);
        }
    }

    /**
     * Records {@code offset} for {@code key} if it is higher than the one held.
     *
     * @return false, changing nothing, when the key is new and the map is full
     */
    boolean put(ByteBuffer key, long offset) {
        digest(key);
        int slot = find();
        if (offsets[slot] >= 0) {
            offsets[slot] = Math.max(offsets[slot], offset);
            return true;
        }
        if (size == capacity) {
            return false;
        }
        System.arraycopy(scratch, 0, digests, slot * DIGEST_BYTES, DIGEST_BYTES);
        offsets[slot] = offset;
        size++;
        return true;
    }

    /** The highest offset recorded for {@code key}, or -1. */
    long get(ByteBuffer key) {
        digest(key);
        return offsets[find()];
    }

    int size() {
        return size;
    }

    int capacity() {
        return capacity;
    }

    private void digest(ByteBuffer key) {
        md5.reset();
        md5.update(key.duplicate());
        try {
            md5.digest(scratch, 0, DIGEST_BYTES);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The slot holding {@link #scratch}'s digest, or the free slot where it would go (linear probing). */
    private int find() {
        int hash = ((scratch[0] & 0xff) << 24 | (scratch[1] & 0xff) << 16 | (scratch[2] & 0xff) << 8
                | (scratch[3] & 0xff)) & 0x7fffffff;
        int slot = hash % slots;
        while (offsets[slot] >= 0 && !Arrays.equals(digests, slot * DIGEST_BYTES, slot * DIGEST_BYTES + DIGEST_BYTES,
                scratch, 0, DIGEST_BYTES)) {
            slot = slot + 1 == slots ? 0 : slot + 1;
        }
        return slot;
    }
}
