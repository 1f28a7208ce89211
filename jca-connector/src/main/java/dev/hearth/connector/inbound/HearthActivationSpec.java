package dev.hearth.connector.inbound;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.InvalidPropertyException;
import jakarta.resource.spi.ResourceAdapter;

import org.apache.kafka.common.security.auth.KafkaPrincipal;

import dev.hearth.security.Principals;

/**
 * The activation properties of a message-driven bean (see
 * {@link dev.hearth.connector.api.HearthRecordListener} for their meaning). {@link #validate} checks every
 * property and names the one that is wrong; {@link #settings} gives them parsed.
 */
public class HearthActivationSpec implements ActivationSpec {

    private ResourceAdapter resourceAdapter;
    private String topics;
    private String topicPattern;
    private String groupId;
    private String startFrom = "earliest";
    private Integer maxConcurrency = 1;
    private String ordering = "partition";
    private Integer maxPollRecords = 100;
    private Integer retries = 3;
    private Long retryBackoffMs = 100L;
    private String deadLetterTopic;
    private Integer sessionTimeoutMs = 10_000;
    private String offsetsDataSource;
    private String principal = "User:ANONYMOUS";

    @Override
    public void validate() throws InvalidPropertyException {
        settings();
    }

    ActivationSettings settings() throws InvalidPropertyException {
        boolean hasTopics = topics != null && !topics.isBlank();
        boolean hasPattern = topicPattern != null && !topicPattern.isBlank();
        if (hasTopics == hasPattern) {
            throw invalid("topics", "give exactly one of 'topics' (comma-separated names) and 'topicPattern' (a regex)");
        }
        List<String> topicList = new ArrayList<>();
        if (hasTopics) {
            for (String topic : topics.split(",")) {
                if (!topic.isBlank()) {
                    topicList.add(topic.trim());
                }
            }
        }
        Pattern pattern = null;
        if (hasPattern) {
            try {
                pattern = Pattern.compile(topicPattern);
            } catch (PatternSyntaxException e) {
                throw invalid("topicPattern", "is not a valid regular expression: " + e.getDescription());
            }
        }
        if (groupId == null || groupId.isBlank()) {
            throw invalid("groupId", "is required: the consumer group the bean's activations share");
        }
        StartFrom start;
        long startTimestamp = -1;
        String from = startFrom == null ? "earliest" : startFrom.trim().toLowerCase(Locale.ROOT);
        if (from.equals("earliest")) {
            start = StartFrom.EARLIEST;
        } else if (from.equals("latest")) {
            start = StartFrom.LATEST;
        } else if (from.startsWith("timestamp:")) {
            start = StartFrom.TIMESTAMP;
            try {
                startTimestamp = Long.parseLong(from.substring("timestamp:".length()));
            } catch (NumberFormatException e) {
                throw invalid("startFrom", "must be 'earliest', 'latest' or 'timestamp:<epoch millis>', not '" + startFrom + "'");
            }
        } else {
            throw invalid("startFrom", "must be 'earliest', 'latest' or 'timestamp:<epoch millis>', not '" + startFrom + "'");
        }
        Ordering order;
        try {
            order = Ordering.valueOf(ordering.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw invalid("ordering", "must be 'partition' or 'key', not '" + ordering + "'");
        }
        requireRange("maxConcurrency", maxConcurrency, 1, 256);
        requireRange("maxPollRecords", maxPollRecords, 1, 100_000);
        requireRange("retries", retries, 0, 1_000);
        requireRange("sessionTimeoutMs", sessionTimeoutMs, 6_000, 1_800_000);
        if (retryBackoffMs == null || retryBackoffMs < 0 || retryBackoffMs > 3_600_000) {
            throw invalid("retryBackoffMs", "must be between 0 and 3600000, not " + retryBackoffMs);
        }
        boolean hasOffsetsDataSource = offsetsDataSource != null && !offsetsDataSource.isBlank();
        if (hasOffsetsDataSource && order == Ordering.KEY && maxConcurrency > 1) {
            throw invalid("offsetsDataSource", "needs ordering=partition or maxConcurrency=1: the table keeps one "
                    + "offset per partition, which records of one partition delivered in parallel cannot share");
        }
        KafkaPrincipal actingAs;
        try {
            actingAs = Principals.parse(principal == null ? "" : principal.trim());
        } catch (IllegalArgumentException e) {
            throw invalid("principal", "is not a principal: " + e.getMessage());
        }
        return new ActivationSettings(List.copyOf(topicList), pattern, groupId.trim(), start, startTimestamp,
                maxConcurrency, order, maxPollRecords, retries, retryBackoffMs,
                deadLetterTopic == null || deadLetterTopic.isBlank() ? null : deadLetterTopic.trim(), sessionTimeoutMs,
                hasOffsetsDataSource ? offsetsDataSource.trim() : null, actingAs);
    }

    private static void requireRange(String property, Integer value, int min, int max) throws InvalidPropertyException {
        if (value == null || value < min || value > max) {
            throw invalid(property, "must be between " + min + " and " + max + ", not " + value);
        }
    }

    private static InvalidPropertyException invalid(String property, String problem) {
        return new InvalidPropertyException("HEARTH-0700 Activation property '" + property + "' " + problem);
    }

    @Override
    public ResourceAdapter getResourceAdapter() {
        return resourceAdapter;
    }

    @Override
    public void setResourceAdapter(ResourceAdapter resourceAdapter) {
        this.resourceAdapter = resourceAdapter;
    }

    public String getTopics() {
        return topics;
    }

    public void setTopics(String topics) {
        this.topics = topics;
    }

    public String getTopicPattern() {
        return topicPattern;
    }

    public void setTopicPattern(String topicPattern) {
        this.topicPattern = topicPattern;
    }

    public String getGroupId() {
        return groupId;
    }

    public void setGroupId(String groupId) {
        this.groupId = groupId;
    }

    public String getStartFrom() {
        return startFrom;
    }

    public void setStartFrom(String startFrom) {
        this.startFrom = startFrom;
    }

    public Integer getMaxConcurrency() {
        return maxConcurrency;
    }

    public void setMaxConcurrency(Integer maxConcurrency) {
        this.maxConcurrency = maxConcurrency;
    }

    public String getOrdering() {
        return ordering;
    }

    public void setOrdering(String ordering) {
        this.ordering = ordering;
    }

    public Integer getMaxPollRecords() {
        return maxPollRecords;
    }

    public void setMaxPollRecords(Integer maxPollRecords) {
        this.maxPollRecords = maxPollRecords;
    }

    public Integer getRetries() {
        return retries;
    }

    public void setRetries(Integer retries) {
        this.retries = retries;
    }

    public Long getRetryBackoffMs() {
        return retryBackoffMs;
    }

    public void setRetryBackoffMs(Long retryBackoffMs) {
        this.retryBackoffMs = retryBackoffMs;
    }

    public String getDeadLetterTopic() {
        return deadLetterTopic;
    }

    public void setDeadLetterTopic(String deadLetterTopic) {
        this.deadLetterTopic = deadLetterTopic;
    }

    public Integer getSessionTimeoutMs() {
        return sessionTimeoutMs;
    }

    public void setSessionTimeoutMs(Integer sessionTimeoutMs) {
        this.sessionTimeoutMs = sessionTimeoutMs;
    }

    public String getPrincipal() {
        return principal;
    }

    public void setPrincipal(String principal) {
        this.principal = principal;
    }

    public String getOffsetsDataSource() {
        return offsetsDataSource;
    }

    public void setOffsetsDataSource(String offsetsDataSource) {
        this.offsetsDataSource = offsetsDataSource;
    }
}
