package dev.hearth.activity.boundary;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

import dev.hearth.activity.control.ActivityHistory;
import dev.hearth.connector.api.GroupSummary;
import dev.hearth.connector.api.HearthConnectionException;
import dev.hearth.connector.api.PartitionDescription;
import dev.hearth.connector.api.TopicDescription;
import dev.hearth.platform.control.LogConnections;

/**
 * Samples the cluster every {@value #INTERVAL_SECONDS} seconds into an {@link ActivityHistory} of
 * {@value #HISTORY_MINUTES} minutes, from server start, whether or not a console is open: a page opened later
 * draws its charts from there. A sample reads the topic list and the group list (metadata only, no records). A
 * failed sample (the log not open yet, or closing) leaves a gap and is logged at FINE.
 *
 * <p>Not transactional. Thread-safety: bean-managed concurrency; the container never overlaps runs of one
 * timer, and the history is thread-safe for the readers.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class ActivitySampler {

    private static final Logger LOG = Logger.getLogger(ActivitySampler.class.getName());
    public static final int INTERVAL_SECONDS = 2;
    public static final int HISTORY_MINUTES = 5;

    private final ActivityHistory history = new ActivityHistory(HISTORY_MINUTES * 60 / INTERVAL_SECONDS);

    @Inject
    LogConnections connections;

    @Schedule(second = "*/" + INTERVAL_SECONDS, minute = "*", hour = "*", persistent = false)
    void sample() {
        long atMs = System.currentTimeMillis();
        try {
            connections.accept(connection -> {
                Map<String, Long> endOffsets = new HashMap<>();
                for (TopicDescription topic : connection.listTopics()) {
                    for (PartitionDescription partition : topic.partitions()) {
                        endOffsets.put(topic.name() + "/" + partition.partition(), partition.logEndOffset());
                    }
                }
                List<GroupSummary> groups = connection.listGroups();
                history.observe(atMs, endOffsets, groups.stream().mapToLong(GroupSummary::totalLag).sum());
            });
        } catch (HearthConnectionException e) {
            LOG.fine(() -> "HEARTH-0870 No activity sample for the console's charts at " + atMs + ": " + e.getMessage());
        }
    }

    /** The samples of the last {@value #HISTORY_MINUTES} minutes, oldest first. */
    public List<ActivityHistory.Sample> samples() {
        return history.samples();
    }
}
