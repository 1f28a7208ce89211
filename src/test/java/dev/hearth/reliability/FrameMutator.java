package dev.hearth.reliability;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;

import org.apache.kafka.common.protocol.ApiKeys;

import dev.hearth.reliability.KafkaSeedFrames.Seed;

/**
 * Turns seed frames into bad ones, deterministically: the same {@link Random} state gives the same mutant, so a
 * run is reproduced from its printed seed. Each mutant is one {@link Mutation} (sometimes two stacked content
 * mutations) of one seed, returned as the bytes that go on the wire, length prefix included (which may itself lie).
 *
 * <p>Stateless apart from the seeds, so thread-safe; callers give each connection its own {@link Random}.
 */
final class FrameMutator {

    /** The kinds of damage, each named for what it does to a frame. */
    enum Mutation {
        /** 1–4 random bits flipped anywhere in header or body. */
        BIT_FLIP,
        /** 1–4 bytes set to boundary values (0x00, 0x7f, 0x80, 0xff) or random ones. */
        BYTE_SET,
        /** Cut short; the length prefix tells the truth about the cut frame. */
        TRUNCATE,
        /** Random bytes inserted in the middle. */
        INSERT,
        /** A 4-byte field overwritten with a huge or negative count (array lengths, partition counts, sizes). */
        HUGE_COUNT,
        /** A huge unsigned varint written where compact arrays and strings keep their lengths. */
        HUGE_VARINT,
        /** An API key no Kafka version defines. */
        UNKNOWN_API_KEY,
        /** A version outside the API's range (above the newest, negative). */
        UNKNOWN_VERSION,
        /** The start of one request joined to the end of another. */
        SPLICE,
        /** A real header followed by random bytes. */
        GARBAGE_BODY,
        /** A field of a Produce request's record batch changed with the CRC recomputed, so that the batch passes it. */
        RECORD_BATCH,
        /** Length prefix shorter than the frame: the rest is read as a further frame. */
        LENGTH_SHORT,
        /** Length prefix longer than the frame: the server waits for bytes that never come. */
        LENGTH_LONG,
        /** Negative length prefix. */
        LENGTH_NEGATIVE,
        /** Length prefix of tens of MiB up to 2 GiB with a frame of a few hundred bytes. */
        LENGTH_HUGE
    }

    /** One bad frame: how it was made, from which seed, and its bytes with length prefix. */
    record Mutant(Mutation mutation, Seed seed, byte[] wire) {
    }

    private static final Mutation[] CONTENT = {Mutation.BIT_FLIP, Mutation.BYTE_SET, Mutation.TRUNCATE, Mutation.INSERT,
            Mutation.HUGE_COUNT, Mutation.HUGE_VARINT, Mutation.UNKNOWN_API_KEY, Mutation.UNKNOWN_VERSION,
            Mutation.SPLICE, Mutation.GARBAGE_BODY, Mutation.RECORD_BATCH};
    private static final Mutation[] LENGTH = {Mutation.LENGTH_SHORT, Mutation.LENGTH_LONG, Mutation.LENGTH_NEGATIVE,
            Mutation.LENGTH_HUGE};
    private static final int[] HUGE_INTS = {Integer.MAX_VALUE, 0x40000000, 0x0fffffff, -2, -1, 0x00100000, 65_536,
            10_001};
    private static final byte[] BOUNDARY_BYTES = {0x00, 0x7f, (byte) 0x80, (byte) 0xff, 0x01};
    /** Offsets within a record batch (magic v2): batchLength, magic, attributes, lastOffsetDelta, producerId, recordsCount. */
    private static final int BATCH_LENGTH = 8;
    private static final int MAGIC = 16;
    private static final int CRC = 17;
    private static final int ATTRIBUTES = 21;
    private static final int LAST_OFFSET_DELTA = 23;
    private static final int PRODUCER_ID = 43;
    private static final int RECORDS_COUNT = 57;
    private static final int FIRST_RECORD = 61;

    private final List<Seed> seeds;
    private final List<Seed> produceSeeds;
    private final int maxRequestBytes;

    /** @param maxRequestBytes the server's frame limit: {@link Mutation#LENGTH_HUGE} goes both below and above it */
    FrameMutator(List<Seed> seeds, int maxRequestBytes) {
        this.seeds = List.copyOf(seeds);
        this.produceSeeds = seeds.stream().filter(seed -> seed.recordsOffset() >= 0).toList();
        this.maxRequestBytes = maxRequestBytes;
    }

    Mutant next(Random random) {
        Seed seed = seeds.get(random.nextInt(seeds.size()));
        // One mutant in five lies about its length; the others carry a true prefix for damaged content.
        if (random.nextInt(5) == 0) {
            Mutation mutation = LENGTH[random.nextInt(LENGTH.length)];
            return new Mutant(mutation, seed, lieAboutLength(mutation, seed.frame(), random));
        }
        Mutation mutation = CONTENT[random.nextInt(CONTENT.length)];
        if (mutation == Mutation.RECORD_BATCH) {
            seed = produceSeeds.get(random.nextInt(produceSeeds.size()));
        }
        byte[] frame = mutate(mutation, seed, random);
        if (random.nextInt(5) == 0) {
            Mutation second = CONTENT[random.nextInt(CONTENT.length - 1)];
            frame = mutate(second, new Seed(seed.api(), seed.version(), frame, -1, 0), random);
        }
        return new Mutant(mutation, seed, withLength(frame, frame.length));
    }

    private byte[] mutate(Mutation mutation, Seed seed, Random random) {
        byte[] frame = seed.frame().clone();
        if (frame.length == 0) {
            return frame;
        }
        switch (mutation) {
            case BIT_FLIP -> {
                for (int i = 1 + random.nextInt(4); i > 0 && frame.length > 0; i--) {
                    frame[random.nextInt(frame.length)] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case BYTE_SET -> {
                for (int i = 1 + random.nextInt(4); i > 0 && frame.length > 0; i--) {
                    frame[random.nextInt(frame.length)] = random.nextBoolean()
                            ? BOUNDARY_BYTES[random.nextInt(BOUNDARY_BYTES.length)] : (byte) random.nextInt();
                }
            }
            case TRUNCATE -> frame = Arrays.copyOf(frame, random.nextInt(frame.length));
            case INSERT -> {
                int at = random.nextInt(frame.length + 1);
                byte[] inserted = new byte[1 + random.nextInt(64)];
                random.nextBytes(inserted);
                frame = concat(Arrays.copyOf(frame, at), inserted, Arrays.copyOfRange(frame, at, frame.length));
            }
            case HUGE_COUNT -> {
                if (frame.length >= 12) {
                    putInt(frame, 8 + random.nextInt(frame.length - 11), HUGE_INTS[random.nextInt(HUGE_INTS.length)]);
                }
            }
            case HUGE_VARINT -> {
                if (frame.length >= 14) {
                    byte[] varint = random.nextBoolean() ? new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07}
                            : new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, 0x40};
                    System.arraycopy(varint, 0, frame, 8 + random.nextInt(frame.length - 13), varint.length);
                }
            }
            case UNKNOWN_API_KEY -> {
                int key;
                do {
                    key = random.nextBoolean() ? 100 + random.nextInt(1_000) : (short) random.nextInt();
                } while (ApiKeys.hasId(key));
                putShort(frame, 0, key);
            }
            case UNKNOWN_VERSION -> {
                int[] versions = {seed.api().latestVersion(true) + 1 + random.nextInt(50), -1 - random.nextInt(100),
                        Short.MAX_VALUE, seed.api().oldestVersion() - 1};
                putShort(frame, 2, versions[random.nextInt(versions.length)]);
            }
            case SPLICE -> {
                byte[] other = seeds.get(random.nextInt(seeds.size())).frame();
                frame = concat(Arrays.copyOf(frame, random.nextInt(frame.length + 1)),
                        Arrays.copyOfRange(other, random.nextInt(other.length + 1), other.length));
            }
            case GARBAGE_BODY -> {
                byte[] garbage = new byte[random.nextInt(512)];
                random.nextBytes(garbage);
                frame = concat(Arrays.copyOf(frame, Math.min(frame.length, 8 + random.nextInt(24))), garbage);
            }
            case RECORD_BATCH -> mutateBatch(frame, seed, random);
        }
        return frame;
    }

    /** Changes one field of the batch and recomputes its CRC (CRC-32C over attributes to the batch's end). */
    private static void mutateBatch(byte[] frame, Seed seed, Random random) {
        int batch = seed.recordsOffset();
        int end = batch + seed.recordsLength();
        switch (random.nextInt(8)) {
            case 0 -> putInt(frame, batch + RECORDS_COUNT, HUGE_INTS[random.nextInt(HUGE_INTS.length)]);
            case 1 -> putInt(frame, batch + RECORDS_COUNT, random.nextBoolean() ? 0 : 1 + random.nextInt(1_000));
            case 2 -> putInt(frame, batch + LAST_OFFSET_DELTA, random.nextBoolean() ? -1 : Integer.MAX_VALUE);
            // Compression codec (bits 0-2: up to 7, unknown beyond 4), transactional and control bits.
            case 3 -> putShort(frame, batch + ATTRIBUTES, random.nextInt(64));
            case 4 -> putInt(frame, batch + BATCH_LENGTH, HUGE_INTS[random.nextInt(HUGE_INTS.length)]);
            case 5 -> frame[batch + MAGIC] = (byte) random.nextInt(256);
            case 6 -> frame[batch + FIRST_RECORD + random.nextInt(Math.max(1, end - batch - FIRST_RECORD))] =
                    (byte) random.nextInt();
            default -> putInt(frame, batch + PRODUCER_ID + 4, random.nextInt());
        }
        CRC32C crc = new CRC32C();
        crc.update(frame, batch + ATTRIBUTES, end - batch - ATTRIBUTES);
        putInt(frame, batch + CRC, (int) crc.getValue());
    }

    private byte[] lieAboutLength(Mutation mutation, byte[] frame, Random random) {
        int length = switch (mutation) {
            case LENGTH_SHORT -> random.nextInt(frame.length);
            case LENGTH_LONG -> frame.length + 1 + random.nextInt(65_536);
            case LENGTH_NEGATIVE -> random.nextBoolean() ? -1 : Integer.MIN_VALUE + random.nextInt(1_000);
            default -> switch (random.nextInt(4)) {
                case 0 -> maxRequestBytes - random.nextInt(1 << 20);
                case 1 -> maxRequestBytes + 1;
                case 2 -> 0x40000000;
                default -> Integer.MAX_VALUE;
            };
        };
        return withLength(frame, length);
    }

    private static byte[] withLength(byte[] frame, int length) {
        return concat(ByteBuffer.allocate(4).putInt(length).array(), frame);
    }

    private static byte[] concat(byte[]... parts) {
        int size = 0;
        for (byte[] part : parts) {
            size += part.length;
        }
        ByteBuffer joined = ByteBuffer.allocate(size);
        for (byte[] part : parts) {
            joined.put(part);
        }
        return joined.array();
    }

    private static void putInt(byte[] target, int at, int value) {
        if (at >= 0 && at + 4 <= target.length) {
            ByteBuffer.wrap(target).putInt(at, value);
        }
    }

    private static void putShort(byte[] target, int at, int value) {
        if (at >= 0 && at + 2 <= target.length) {
            ByteBuffer.wrap(target).putShort(at, (short) value);
        }
    }
}
