package dev.hearth.security.control;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The user name and password of an HTTP Basic {@code Authorization} header (RFC 7617):
 * {@code Basic base64(user ":" password)}, UTF-8 as the challenge announces. Parsing is strict and total: any
 * malformed header is an {@link IllegalArgumentException} whose message says, in the client's terms, what is
 * wrong (and never repeats the password). Immutable.
 */
public record BasicCredentials(String user, char[] password) {

    private static final String SCHEME = "Basic";

    /**
     * @param header the {@code Authorization} header value
     * @throws IllegalArgumentException when it is not Basic credentials of the form {@code user:password}
     */
    public static BasicCredentials parse(String header) {
        String value = header.strip();
        int space = value.indexOf(' ');
        String scheme = space < 0 ? value : value.substring(0, space);
        if (!scheme.equalsIgnoreCase(SCHEME)) {
            throw new IllegalArgumentException("the Authorization header must use the Basic scheme");
        }
        String token = space < 0 ? "" : value.substring(space + 1).strip();
        if (token.isEmpty()) {
            throw new IllegalArgumentException("the Authorization header has no credentials after 'Basic'");
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the Basic credentials are not valid base64");
        }
        String pair = new String(decoded, StandardCharsets.UTF_8);
        int colon = pair.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("the Basic credentials have no ':' between user name and password");
        }
        return new BasicCredentials(pair.substring(0, colon), pair.substring(colon + 1).toCharArray());
    }
}
