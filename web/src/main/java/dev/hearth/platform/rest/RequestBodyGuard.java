package dev.hearth.platform.rest;

import java.io.IOException;

import jakarta.json.JsonException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;

/**
 * Makes every failure to parse a request body the client's 400 ({@code malformed-json}) instead of a 500:
 * syntax errors, and the JSON parser's limits on number length and nesting depth, which it reports as
 * {@code UnsupportedOperationException} and plain {@code RuntimeException}. Those messages state the rule
 * broken and go into the detail; any other failure's message stays in the log, since it may name internals.
 * An {@link IOException} (the client went away) passes through. Stateless, so thread-safe.
 */
@Provider
public class RequestBodyGuard implements ReaderInterceptor {

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        try {
            return context.proceed();
        } catch (WebApplicationException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new BadRequest("malformed-json", "Malformed JSON", detail(e), e);
        }
    }

    private static String detail(RuntimeException e) {
        if (e instanceof JsonException && e.getMessage() != null) {
            return "The request body is not valid JSON: " + e.getMessage();
        }
        boolean parserLimit = e instanceof UnsupportedOperationException || e.getClass() == RuntimeException.class;
        if (parserLimit && e.getMessage() != null) {
            return "The request body exceeds the JSON parser's limits: " + e.getMessage();
        }
        if (e instanceof NumberFormatException || e instanceof ArithmeticException) {
            return "The request body holds a number that cannot be represented";
        }
        return "The request body could not be read as JSON in its declared character set";
    }
}
