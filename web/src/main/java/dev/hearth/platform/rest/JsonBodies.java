package dev.hearth.platform.rest;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * Typed, validated access to request members: a missing, mistyped or out-of-range member is a 400 naming it.
 * Numbers are checked for range before conversion, so no size of number reaches an arithmetic overflow.
 */
public final class JsonBodies {

    private JsonBodies() {
    }

    public static JsonObject requireObject(JsonValue value, String what) {
        if (value == null || value.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new BadRequest(what + " must be a JSON object");
        }
        return value.asJsonObject();
    }

    public static String requireString(JsonObject body, String member) {
        JsonValue value = body.get(member);
        if (!(value instanceof JsonString string)) {
            throw new BadRequest("'" + member + "' is required and must be a string");
        }
        return string.getString();
    }

    public static String optionalString(JsonObject body, String member) {
        JsonValue value = body.get(member);
        if (value == null || value == JsonValue.NULL) {
            return null;
        }
        if (!(value instanceof JsonString string)) {
            throw new BadRequest("'" + member + "' must be a string");
        }
        return string.getString();
    }

    public static Long optionalLong(JsonObject body, String member) {
        return optionalWhole(body, member, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** The member as an {@code int}, or null when absent; a 400 when it is no whole number in int range. */
    public static Integer optionalInt(JsonObject body, String member) {
        Long value = optionalWhole(body, member, Integer.MIN_VALUE, Integer.MAX_VALUE);
        return value == null ? null : value.intValue();
    }

    public static int requireInt(JsonObject body, String member) {
        Integer value = optionalInt(body, member);
        if (value == null) {
            throw new BadRequest("'" + member + "' is required and must be a whole number");
        }
        return value;
    }

    private static Long optionalWhole(JsonObject body, String member, long min, long max) {
        JsonValue value = body.get(member);
        if (value == null || value == JsonValue.NULL) {
            return null;
        }
        if (!(value instanceof JsonNumber number) || !number.isIntegral()) {
            throw new BadRequest("'" + member + "' must be a whole number");
        }
        try {
            long exact = number.longValueExact();
            if (exact >= min && exact <= max) {
                return exact;
            }
        } catch (ArithmeticException e) {
            // Beyond long: reported below, with the range.
        }
        throw new BadRequest("'" + member + "' must be a whole number from " + min + " to " + max);
    }
}
