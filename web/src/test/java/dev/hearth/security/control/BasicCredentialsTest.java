package dev.hearth.security.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Parsing of HTTP Basic headers: RFC 7617 credentials come apart; anything malformed is a stated reason. */
class BasicCredentialsTest {

    private static String basic(String pair) {
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void userAndPasswordSplitAtTheFirstColon() {
        BasicCredentials credentials = BasicCredentials.parse(basic("admin:pa:ss wörd"));

        assertEquals("admin", credentials.user(), "the user name ends at the first ':'");
        assertArrayEquals("pa:ss wörd".toCharArray(), credentials.password(),
                "the password is everything after it, colons and UTF-8 included");
    }

    @Test
    void schemeIsCaseInsensitiveAndEmptyPartsAreWellFormed() {
        BasicCredentials credentials = BasicCredentials.parse("bAsIc  " + basic(":").substring(6) + " ");

        assertEquals("", credentials.user(), "an empty user name is well-formed (and simply unknown)");
        assertEquals(0, credentials.password().length, "so is an empty password");
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"Basic YWRtaW4=", "Basic !!!!", "Basic", "Basic    ", "Bearer abc", "Basic YWRtaW46cHc=x",
            "Basicabc", "", "Basic ===="})
    void malformedHeadersAreRefusedWithAReason(String header) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BasicCredentials.parse(header),
                "'" + header + "' is not Basic user:password credentials");
        assertTrue(e.getMessage().startsWith("the "), "the reason reads as part of a sentence: " + e.getMessage());
        assertFalse(e.getMessage().contains("Exception"), "the reason names no Java class: " + e.getMessage());
    }
}
