package dev.hearth.job.exec;

import java.util.Arrays;

/**
 * A byte array with value equality and unsigned lexicographic order, the key of in-memory stores. The array is
 * not copied: whoever builds a {@code Bytes} hands over ownership. Immutable by that convention; thread-safe.
 */
public final class Bytes implements Comparable<Bytes> {
    private final byte[] bytes;
    private final int hash;

    public Bytes(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    public byte[] get() {
        return bytes;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Bytes b && hash == b.hash && Arrays.equals(bytes, b.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public int compareTo(Bytes other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }
}
