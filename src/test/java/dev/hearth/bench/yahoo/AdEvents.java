package dev.hearth.bench.yahoo;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * The input of the Yahoo-style streaming benchmark, identical for every run with the same event count: ad events
 * as JSON, about 230 bytes each, and the exact counts a correct job must produce.
 *
 * <pre>
 * {"user_id":"&lt;uuid&gt;","page_id":"&lt;uuid&gt;","ad_id":"&lt;uuid&gt;","ad_type":"banner",
 *  "event_type":"view","event_time":1700000000123,"ip":"10.1.2.3"}
 * </pre>
 *
 * Event {@code i} goes to partition {@code i % partitions}; its event time is {@code START_MS + i / 10} plus a
 * random 0–1999 ms, so event time advances 10,000 events per second and each partition is out of order by less
 * than 2 s (the jobs allow 5 s). {@code ad_id} is one of 1,000 ads, each of one of 100 campaigns (10 ads each, a
 * static map); {@code event_type} is view, click or purchase. After the {@code count} events, one click per
 * partition 60 s of event time later closes every window in a runtime that emits a window only once its
 * watermark passed it; being clicks, they count nowhere.
 *
 * <p>Expected result: for every (campaign, 10-second tumbling window) that has views, the number of views, keyed
 * {@code <campaign_id>@<window start ms>}. Deterministic in {@code count} (fixed seed). Not thread-safe.
 */
public final class AdEvents {

    public static final long START_MS = 1_700_000_000_000L;
    public static final long WINDOW_MS = 10_000;
    public static final int PARTITIONS = 6;
    public static final int CAMPAIGNS = 100;
    public static final int ADS_PER_CAMPAIGN = 10;
    private static final String[] AD_TYPES = {"banner", "modal", "sponsored-search", "mail", "mobile"};
    private static final String[] EVENT_TYPES = {"view", "click", "purchase"};
    private static final long SEED = 20_261_122L;

    /** The static ad to campaign map, shared by the jobs (ad_id to campaign_id, both UUID strings). */
    public static final Map<String, String> CAMPAIGN_OF_AD;
    private static final String[] ADS;

    static {
        SplittableRandom random = new SplittableRandom(SEED);
        Map<String, String> campaigns = new HashMap<>();
        ADS = new String[CAMPAIGNS * ADS_PER_CAMPAIGN];
        for (int campaign = 0; campaign < CAMPAIGNS; campaign++) {
            String campaignId = new UUID(random.nextLong(), random.nextLong()).toString();
            for (int ad = 0; ad < ADS_PER_CAMPAIGN; ad++) {
                String adId = new UUID(random.nextLong(), random.nextLong()).toString();
                ADS[campaign * ADS_PER_CAMPAIGN + ad] = adId;
                campaigns.put(adId, campaignId);
            }
        }
        CAMPAIGN_OF_AD = Map.copyOf(campaigns);
    }

    /** One event: its partition and its JSON value (UTF-8). */
    public record Event(int partition, byte[] value) {
    }

    private final long count;
    private final SplittableRandom random = new SplittableRandom(SEED + 1);
    private final StringBuilder json = new StringBuilder(256);
    private final Map<String, Long> expected = new HashMap<>();
    private long next;
    private long lastEventMs = START_MS;

    public AdEvents(long count) {
        this.count = count;
    }

    /** Events to produce: {@code count} ad events plus one closing click per partition. */
    public long total() {
        return count + PARTITIONS;
    }

    public boolean hasNext() {
        return next < total();
    }

    public Event next() {
        long i = next++;
        if (i >= count) {
            int partition = (int) (i - count);
            String closing = json(ADS[0], "click", lastEventMs + 60_000, 0, 0, 0, 0);
            return new Event(partition, closing.getBytes(StandardCharsets.UTF_8));
        }
        String ad = ADS[random.nextInt(ADS.length)];
        String type = EVENT_TYPES[random.nextInt(EVENT_TYPES.length)];
        long eventMs = START_MS + i / 10 + random.nextInt(2000);
        lastEventMs = Math.max(lastEventMs, eventMs);
        if (type.equals("view")) {
            expected.merge(CAMPAIGN_OF_AD.get(ad) + "@" + (eventMs - Math.floorMod(eventMs, WINDOW_MS)), 1L, Long::sum);
        }
        String value = json(ad, type, eventMs, random.nextLong(), random.nextLong(), random.nextLong(),
                random.nextLong());
        return new Event((int) (i % PARTITIONS), value.getBytes(StandardCharsets.UTF_8));
    }

    /** The counts every correct job must produce; complete once every event was taken. */
    public Map<String, Long> expectedCounts() {
        if (hasNext()) {
            throw new IllegalStateException("take all " + total() + " events first");
        }
        return expected;
    }

    /** Generates every event without keeping them: the expected counts only. */
    public static Map<String, Long> expectedCounts(long count) {
        AdEvents events = new AdEvents(count);
        while (events.hasNext()) {
            events.next();
        }
        return events.expectedCounts();
    }

    private String json(String ad, String type, long eventMs, long user1, long user2, long page1, long page2) {
        json.setLength(0);
        json.append("{\"user_id\":\"").append(new UUID(user1, user2))
                .append("\",\"page_id\":\"").append(new UUID(page1, page2))
                .append("\",\"ad_id\":\"").append(ad)
                .append("\",\"ad_type\":\"").append(AD_TYPES[(int) Math.floorMod(user1, (long) AD_TYPES.length)])
                .append("\",\"event_type\":\"").append(type)
                .append("\",\"event_time\":").append(eventMs)
                .append(",\"ip\":\"10.").append((user2 >>> 16) & 0xff).append('.').append((user2 >>> 8) & 0xff)
                .append('.').append(user2 & 0xff).append("\"}");
        return json.toString();
    }
}
