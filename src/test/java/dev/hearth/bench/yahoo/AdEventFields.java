package dev.hearth.bench.yahoo;

/**
 * The three fields the benchmark jobs read from an {@link AdEvents} JSON value, found by scanning for the field
 * name. Both jobs (Hearth and Kafka Streams) use this same code, so JSON decoding costs them the same and the
 * comparison is of the runtimes. Stateless; thread-safe.
 */
public final class AdEventFields {

    private AdEventFields() {
    }

    public static boolean isView(String json) {
        return json.startsWith("view", valueStart(json, "\"event_type\":\"", 0));
    }

    public static String adId(String json) {
        int start = valueStart(json, "\"ad_id\":\"", 0);
        return json.substring(start, json.indexOf('"', start));
    }

    /** The campaign of the event's ad (the static map). */
    public static String campaignId(String json) {
        return AdEvents.CAMPAIGN_OF_AD.get(adId(json));
    }

    public static long eventTimeMs(String json) {
        int i = valueStart(json, "\"event_time\":", 0);
        long value = 0;
        for (char c; i < json.length() && (c = json.charAt(i)) >= '0' && c <= '9'; i++) {
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static int valueStart(String json, String field, int from) {
        int at = json.indexOf(field, from);
        if (at < 0) {
            throw new IllegalArgumentException("no " + field + " in " + json);
        }
        return at + field.length();
    }
}
