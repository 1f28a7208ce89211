package dev.hearth.platform.rest;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/** Typed, validated access to request members: a missing or mistyped member is a 400 naming it. */
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
        JsonValue value = body.get(member);
        if (value == null || value == JsonValue.NULL) {
            return null;
        }
        if (!(value instanceof JsonNumber number) || !number.isIntegral()) {
            throw new BadRequest("'" + member + "' must be a whole number");
        }
        return number.longValueExact();
    }

    public static int requireInt(JsonObject body, String member) {
        Long value = optionalLong(body, member);
        if (value == null) {
            throw new BadRequest("'" + member + "' is required and must be a whole number");
        }
        return Math.toIntExact(value);
    }
}
