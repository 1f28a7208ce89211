package dev.hearth.job.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import jakarta.json.Json;

import org.junit.jupiter.api.Test;

import dev.hearth.job.api.Serde;
import dev.hearth.job.api.Serdes;

class QueryCodecTest {

    @SuppressWarnings("unchecked")
    private static Serde<Object> erase(Serde<?> serde) {
        return (Serde<Object>) serde;
    }

    @Test
    void keysAreWrittenInTheirSerdesTextualForm() {
        assertEquals(QueryCodec.KeyFormat.TEXT, QueryCodec.KeyFormat.of(Serdes.string()));
        assertArrayEquals("ünïcode key".getBytes(StandardCharsets.UTF_8),
                QueryCodec.parseKey("ünïcode key", false, erase(Serdes.string())), "string keys: the text's UTF-8");
        assertArrayEquals(Serdes.longs().serialize(-42L), QueryCodec.parseKey("-42", false, erase(Serdes.longs())),
                "long keys: decimal");
        assertEquals("-42", QueryCodec.formatKey(Serdes.longs().serialize(-42L), erase(Serdes.longs())));
        assertThrows(InvalidStoreQueryException.class, () -> QueryCodec.parseKey("4x", false, erase(Serdes.longs())),
                "a long key that is no number is a bad request");
        byte[] raw = {0, (byte) 0xff, 10};
        Serde<Object> opaque = erase(Serde.of((byte[] b) -> b, b -> b));
        assertEquals(QueryCodec.KeyFormat.BASE64, QueryCodec.KeyFormat.of(opaque));
        String text = QueryCodec.formatKey(raw, opaque);
        assertEquals(Base64.getUrlEncoder().withoutPadding().encodeToString(raw), text, "other serdes: base64url");
        assertArrayEquals(raw, QueryCodec.parseKey(text, false, opaque));
        assertArrayEquals("a/b".getBytes(StandardCharsets.UTF_8),
                QueryCodec.parseKey("YS9i", true, erase(Serdes.string())), "key_encoding=base64 for any serde");
        assertThrows(InvalidStoreQueryException.class, () -> QueryCodec.parseKey("!!", true, erase(Serdes.string())));
    }

    @Test
    void valuesAreJsonWhenTheyCanBeAndBase64Otherwise() {
        assertEquals(Json.createValue(7L), QueryCodec.value(7L, erase(Serdes.longs())).json());
        assertEquals(Json.createValue("x"), QueryCodec.value("x", erase(Serdes.string())).json());
        QueryCodec.Value bytes = QueryCodec.value(new byte[] {1, 2}, erase(Serdes.bytes()));
        assertTrue(bytes.base64(), "bytes are marked base64");
        assertEquals(Json.createValue("AQI="), bytes.json());
        assertFalse(QueryCodec.value(1.5, erase(Serdes.string())).base64());
    }
}
