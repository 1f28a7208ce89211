package dev.hearth.job.control;

import java.io.StringReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.Base64;

import jakarta.json.Json;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParsingException;

import dev.hearth.job.api.Serde;
import dev.hearth.job.api.Serdes;

/**
 * How interactive queries write a store's keys and values as text: keys in URLs and responses, values in JSON.
 *
 * <h2>Keys</h2>
 * A store key is the bytes its key serde made of the key. In a URL (and in a response's {@code key}) it is
 * written in the {@link KeyFormat} of that serde: {@link Serdes#string()} keys as the text itself,
 * {@link Serdes#longs()} keys as a decimal number, {@link Serdes#json} keys as their JSON document, and every other
 * serde's keys as the base64url (no padding) of the key bytes. A client may always give a key as base64url of its
 * serialized bytes instead ({@code key_encoding=base64}); keys containing '/' must be given that way.
 *
 * <h2>Values</h2>
 * A value (an aggregate, a table row) that is a Java {@link Number}, {@link String} or {@link Boolean} is that JSON
 * value; a value of a {@link Serdes#json} serde is its JSON document; any other value is a JSON string holding the
 * base64 (standard alphabet, padded) of the bytes its serde makes of it, and is marked so ({@link Value#base64()}).
 *
 * <p>Stateless; thread-safe (serdes are, by their contract).
 */
public final class QueryCodec {

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private QueryCodec() {
    }

    /** How the keys of one serde are written as text. */
    public enum KeyFormat {
        /** UTF-8 text, as is ({@link Serdes#string()}). */
        TEXT {
            @Override
            byte[] parse(String text, Serde<Object> serde) {
                return text.getBytes(StandardCharsets.UTF_8);
            }

            @Override
            String format(byte[] key, Serde<Object> serde) {
                try {
                    return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(key)).toString();
                } catch (CharacterCodingException e) {
                    return BASE64URL.encodeToString(key); // not written by this serde; never expected
                }
            }
        },
        /** A decimal integer ({@link Serdes#longs()}). */
        DECIMAL {
            @Override
            byte[] parse(String text, Serde<Object> serde) {
                try {
                    return serde.serialize(Long.parseLong(text));
                } catch (NumberFormatException e) {
                    throw new InvalidStoreQueryException("the store's keys are integers (a 64-bit decimal), not '"
                            + text + "'");
                }
            }

            @Override
            String format(byte[] key, Serde<Object> serde) {
                return String.valueOf(serde.deserialize(key));
            }
        },
        /** A JSON document ({@link Serdes#json}), compared in the form the serde writes it. */
        JSON {
            @Override
            byte[] parse(String text, Serde<Object> serde) {
                Object key;
                try {
                    key = serde.deserialize(text.getBytes(StandardCharsets.UTF_8));
                } catch (RuntimeException e) {
                    throw new InvalidStoreQueryException("the store's keys are JSON documents of its key type; '"
                            + text + "' is not one");
                }
                return serde.serialize(key);
            }

            @Override
            String format(byte[] key, Serde<Object> serde) {
                return new String(key, StandardCharsets.UTF_8);
            }
        },
        /** Base64url of the key bytes, without padding: any other serde. */
        BASE64 {
            @Override
            byte[] parse(String text, Serde<Object> serde) {
                return decodeBase64(text, "key");
            }

            @Override
            String format(byte[] key, Serde<Object> serde) {
                return BASE64URL.encodeToString(key);
            }
        };

        /**
         * The store key bytes that {@code text} names.
         *
         * @throws InvalidStoreQueryException if {@code text} is not a key of this format
         */
        abstract byte[] parse(String text, Serde<Object> serde);

        /** {@code key} (store key bytes) as text. */
        abstract String format(byte[] key, Serde<Object> serde);

        /** The format of {@code keySerde}'s keys. */
        public static KeyFormat of(Serde<?> keySerde) {
            if (keySerde == Serdes.string()) {
                return TEXT;
            } else if (keySerde == Serdes.longs()) {
                return DECIMAL;
            } else if (Serdes.isJson(keySerde)) {
                return JSON;
            }
            return BASE64;
        }
    }

    /** A value as a query answers it; {@code base64}: {@code json} is a string of the serialized bytes. */
    public record Value(JsonValue json, boolean base64) {
    }

    /** The store key bytes named by {@code text}: in the serde's format, or base64url when {@code base64}. */
    static byte[] parseKey(String text, boolean base64, Serde<Object> keySerde) {
        return base64 ? decodeBase64(text, "key") : KeyFormat.of(keySerde).parse(text, keySerde);
    }

    static String formatKey(byte[] key, Serde<Object> keySerde) {
        return KeyFormat.of(keySerde).format(key, keySerde);
    }

    /** {@code value} (as the store holds it, deserialized) in JSON; see the class comment. */
    static Value value(Object value, Serde<Object> valueSerde) {
        if (value == null) {
            return new Value(JsonValue.NULL, false);
        } else if (value instanceof String s) {
            return new Value(Json.createValue(s), false);
        } else if (value instanceof Boolean b) {
            return new Value(b ? JsonValue.TRUE : JsonValue.FALSE, false);
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short
                || value instanceof Byte) {
            return new Value(Json.createValue(((Number) value).longValue()), false);
        } else if (value instanceof BigInteger i) {
            return new Value(Json.createValue(i), false);
        } else if (value instanceof BigDecimal d) {
            return new Value(Json.createValue(d), false);
        } else if (value instanceof Number n && Double.isFinite(n.doubleValue())) {
            return new Value(Json.createValue(n.doubleValue()), false);
        }
        byte[] bytes = valueSerde.serialize(value);
        if (Serdes.isJson(valueSerde)) {
            try (JsonReader reader = Json.createReader(new StringReader(new String(bytes, StandardCharsets.UTF_8)))) {
                return new Value(reader.readValue(), false);
            } catch (JsonParsingException e) {
                // JSON-B wrote something a JSON parser does not read: fall back to the bytes
            }
        }
        return new Value(Json.createValue(Base64.getEncoder().encodeToString(bytes)), true);
    }

    /** Base64url (or standard base64), padded or not. */
    static byte[] decodeBase64(String text, String what) {
        try {
            return Base64.getUrlDecoder().decode(text.replace('+', '-').replace('/', '_'));
        } catch (IllegalArgumentException e) {
            throw new InvalidStoreQueryException("the " + what + " '" + text + "' is not base64url");
        }
    }

    /** {@code bytes} as base64url without padding, as cursors and base64 keys are written. */
    static String encodeBase64(byte[] bytes) {
        return BASE64URL.encodeToString(bytes);
    }
}
