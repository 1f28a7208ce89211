package dev.hearth.job.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What a job's state and positions depend on: its internal topics, each with its role, the topic whose partition
 * count it copies and the stage that writes it. Two versions of a job with one layout can hand over: the new one
 * resumes from the old one's committed offsets and restores its stores from their changelogs. A different layout
 * (a store added, removed or renamed, a grouping moved to another stage) would read state written for another
 * plan, so it is refused until the job is reset.
 * <p>
 * Text form ({@link #text()}): one line per internal topic, sorted, {@code <KIND> <topic> <partitions-as> <stage>}.
 *
 * @param lines the sorted lines
 */
public record StateLayout(List<String> lines) {

    public StateLayout {
        lines = List.copyOf(new TreeSet<>(lines));
    }

    public static StateLayout of(List<InternalTopic> internalTopics) {
        List<String> lines = new ArrayList<>();
        for (InternalTopic topic : internalTopics) {
            lines.add(topic.kind() + " " + topic.name() + " " + topic.partitionsAsTopic() + " " + topic.stage());
        }
        return new StateLayout(lines);
    }

    public static StateLayout parse(String text) {
        return new StateLayout(text.isEmpty() ? List.of() : List.of(text.split("\n")));
    }

    public String text() {
        return String.join("\n", lines);
    }

    /** The internal topics named by the layout. */
    public List<String> topics() {
        return lines.stream().map(line -> line.split(" ")[1]).toList();
    }

    /**
     * Why a job with this layout cannot take over the state left by one with {@code previous}, or empty when it can.
     */
    public Optional<String> incompatibilityWith(StateLayout previous) {
        if (previous.lines.equals(lines)) {
            return Optional.empty();
        }
        List<String> gone = new ArrayList<>(previous.lines);
        gone.removeAll(lines);
        List<String> added = new ArrayList<>(lines);
        added.removeAll(previous.lines);
        return Optional.of("its plan changed the layout of its state: " + (gone.isEmpty() ? "" : "no longer has "
                + gone + (added.isEmpty() ? "" : "; ")) + (added.isEmpty() ? "" : "now has " + added)
                + " (kind, topic, partitions as, stage). Resetting the job starts it from scratch with the new plan;"
                + " deploying the previous version resumes from its state");
    }
}
