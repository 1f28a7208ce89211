package dev.hearth.job.api;

import java.util.Objects;
import java.util.function.Function;

/**
 * Converts values of one type to and from the bytes of a record key or value.
 * <p>
 * Contract: {@code deserialize(serialize(x))} equals {@code x}; {@code null} maps to {@code null} both ways
 * (a {@code null} value is a tombstone). Serdes are shared by every task of a job and called concurrently,
 * so implementations must be thread-safe; the built-in ones are stateless. {@code explain()} prints a serde by its
 * {@code toString()} if it overrides {@link Object#toString()}, else by its class name.
 *
 * @param <T> the type of the converted values
 */
public interface Serde<T> {

    /** @return the bytes of {@code value}, {@code null} for {@code null} */
    byte[] serialize(T value);

    /** @return the value encoded by {@code bytes}, {@code null} for {@code null} */
    T deserialize(byte[] bytes);

    /**
     * A serde from two functions; the functions never see {@code null} (it is passed through). Named
     * {@code custom} in {@code explain()}; prefer {@link #of(String, Function, Function)}.
     */
    static <T> Serde<T> of(Function<? super T, byte[]> serializer, Function<byte[], ? extends T> deserializer) {
        return of("custom", serializer, deserializer);
    }

    /**
     * A serde from two functions, called {@code name} by its {@code toString()} (which {@code explain()} prints);
     * the functions never see {@code null} (it is passed through).
     */
    static <T> Serde<T> of(String name, Function<? super T, byte[]> serializer,
                           Function<byte[], ? extends T> deserializer) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(serializer, "serializer");
        Objects.requireNonNull(deserializer, "deserializer");
        return new Serde<>() {
            @Override
            public byte[] serialize(T value) {
                return value == null ? null : serializer.apply(value);
            }

            @Override
            public T deserialize(byte[] bytes) {
                return bytes == null ? null : deserializer.apply(bytes);
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }
}
