package dev.hearth.job.api;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SerdesTest {

    @Test
    void builtInSerdesRoundTripAndPassNullThrough() {
        assertEquals("héllo", Serdes.string().deserialize(Serdes.string().serialize("héllo")));
        assertEquals(-42L, Serdes.longs().deserialize(Serdes.longs().serialize(-42L)));
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 1, 0}, Serdes.longs().serialize(256L), "big-endian, 8 bytes");
        byte[] raw = {1, 2, 3};
        assertArrayEquals(raw, Serdes.bytes().deserialize(Serdes.bytes().serialize(raw)));
        assertNull(Serdes.string().serialize(null));
        assertNull(Serdes.longs().deserialize(null));
        assertThrows(IllegalArgumentException.class, () -> Serdes.longs().deserialize(new byte[3]));
    }

    @Test
    void windowedKeyHasTheDocumentedLayout() {
        Serde<Windowed<String>> serde = Serdes.windowed(Serdes.string());
        Windowed<String> window = new Windowed<>("k", 10_000, 20_000);
        byte[] bytes = serde.serialize(window);
        assertEquals(17, bytes.length, "8 start + 8 end + key");
        assertEquals('k', bytes[16]);
        assertEquals(window, serde.deserialize(bytes));
    }

    @Test
    void customSerdeFromFunctions() {
        Serde<Integer> serde = Serde.of(i -> Integer.toString(i).getBytes(StandardCharsets.US_ASCII),
                b -> Integer.parseInt(new String(b, StandardCharsets.US_ASCII)));
        assertEquals(12345, serde.deserialize(serde.serialize(12345)));
        assertNull(serde.serialize(null), "null never reaches the functions");
    }

    /** A JSON-B bean. */
    public static class Payment {
        public String account;
        public long amountCents;
    }

    @Test
    void jsonRoundTripsThroughJsonB() {
        Serde<Payment> serde = Serdes.json(Payment.class);
        Payment payment = new Payment();
        payment.account = "a-1";
        payment.amountCents = 995;
        Payment back = serde.deserialize(serde.serialize(payment));
        assertEquals("a-1", back.account);
        assertEquals(995, back.amountCents);
    }
}
