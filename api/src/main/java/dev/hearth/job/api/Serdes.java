package dev.hearth.job.api;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The built-in serdes. All are stateless (or, for JSON, hold one thread-safe {@link Jsonb}) and map
 * {@code null} to {@code null}.
 */
public final class Serdes {

    private static final Serde<String> STRING = Serde.of("string",
            s -> s.getBytes(StandardCharsets.UTF_8), b -> new String(b, StandardCharsets.UTF_8));
    private static final Serde<byte[]> BYTES = Serde.of("bytes", b -> b, b -> b);
    private static final Serde<Long> LONGS = Serde.of("longs", Serdes::longBytes, Serdes::bytesLong);

    private Serdes() {
    }

    /** UTF-8 text. */
    public static Serde<String> string() {
        return STRING;
    }

    /** The bytes themselves, not copied. */
    public static Serde<byte[]> bytes() {
        return BYTES;
    }

    /** A long as 8 big-endian bytes (Kafka's {@code LongSerializer} layout). */
    public static Serde<Long> longs() {
        return LONGS;
    }

    /**
     * JSON through JSON-B ({@code jakarta.json.bind}); the implementation is the application server's.
     * The {@link Jsonb} instance is created on first use and shared (JSON-B instances are thread-safe).
     */
    public static <T> Serde<T> json(Class<T> type) {
        Objects.requireNonNull(type, "type");
        return new JsonSerde<>(type);
    }

    /** Whether {@code serde} is one of {@link #json}'s: its bytes are a JSON document in UTF-8. */
    public static boolean isJson(Serde<?> serde) {
        return serde instanceof JsonSerde;
    }

    /**
     * A {@link Windowed} key in a fixed binary layout, so windowed aggregates can be written to topics:
     * <pre>
     *   offset 0  int64 big-endian  startMs
     *   offset 8  int64 big-endian  endMs
     *   offset 16 bytes             the key, serialized by {@code keySerde} (to the end of the array)
     * </pre>
     */
    public static <K> Serde<Windowed<K>> windowed(Serde<K> keySerde) {
        Objects.requireNonNull(keySerde, "keySerde");
        return Serde.of("windowed(" + nameOf(keySerde) + ")", w -> {
            byte[] key = keySerde.serialize(w.key());
            return ByteBuffer.allocate(16 + key.length).putLong(w.startMs()).putLong(w.endMs()).put(key).array();
        }, b -> {
            if (b.length < 16) {
                throw new IllegalArgumentException("a windowed key has at least 16 bytes, got " + b.length);
            }
            ByteBuffer buffer = ByteBuffer.wrap(b);
            long startMs = buffer.getLong();
            long endMs = buffer.getLong();
            byte[] key = new byte[b.length - 16];
            buffer.get(key);
            return new Windowed<>(keySerde.deserialize(key), startMs, endMs);
        });
    }

    /**
     * How {@code explain()} names a serde: its {@code toString()} if its class overrides {@link Object#toString()}
     * (the built-in ones and {@link Serde#of(String, java.util.function.Function, java.util.function.Function)}
     * do), else its class name; {@code unknown} for {@code null}.
     */
    public static String nameOf(Serde<?> serde) {
        if (serde == null) {
            return "unknown";
        }
        try {
            if (serde.getClass().getMethod("toString").getDeclaringClass() != Object.class) {
                return serde.toString();
            }
        } catch (NoSuchMethodException e) {
            throw new AssertionError("every class has a public toString()", e);
        }
        return serde.getClass().getName();
    }

    private static byte[] longBytes(Long value) {
        return ByteBuffer.allocate(8).putLong(value).array();
    }

    private static Long bytesLong(byte[] bytes) {
        if (bytes.length != 8) {
            throw new IllegalArgumentException("a long has 8 bytes, got " + bytes.length);
        }
        return ByteBuffer.wrap(bytes).getLong();
    }

    /** JSON-B serde; {@code jsonb} is published through the volatile field once created. */
    private static final class JsonSerde<T> implements Serde<T> {
        private final Class<T> type;
        private volatile Jsonb jsonb;

        JsonSerde(Class<T> type) {
            this.type = type;
        }

        @Override
        public byte[] serialize(T value) {
            return value == null ? null : jsonb().toJson(value).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public T deserialize(byte[] bytes) {
            return bytes == null ? null : jsonb().fromJson(new String(bytes, StandardCharsets.UTF_8), type);
        }

        @Override
        public String toString() {
            return "json(" + type.getSimpleName() + ")";
        }

        private Jsonb jsonb() {
            Jsonb current = jsonb;
            if (current == null) {
                synchronized (this) {
                    current = jsonb;
                    if (current == null) {
                        current = JsonbBuilder.create();
                        jsonb = current;
                    }
                }
            }
            return current;
        }
    }
}
