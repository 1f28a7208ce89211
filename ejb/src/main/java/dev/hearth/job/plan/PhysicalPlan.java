package dev.hearth.job.plan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * The stages of a job and the internal topics between and beside them: what runs, not how. Immutable and
 * thread-safe. It depends on nothing of the executor; the executor compiles it into tasks.
 * <p>
 * How a runtime runs it: resolve the partition count of each stage ({@link #taskCount}) from the partition counts
 * of the external source topics; create every {@link #internalTopics() internal topic} with
 * {@link #partitionCount}; then for each stage and each partition {@code p < taskCount}, compile a task with
 * {@code dev.hearth.job.exec.TaskCompiler#compile} and drive it as {@code dev.hearth.job.exec.StageTask} describes.
 */
public final class PhysicalPlan {
    private final String jobName;
    private final List<Stage> stages;
    private final List<InternalTopic> internalTopics;
    private final PlanOptions options;
    private final Map<String, InternalTopic> internalByName = new HashMap<>();
    private final Map<String, Integer> writerOfRepartition = new HashMap<>();

    PhysicalPlan(String jobName, List<Stage> stages, List<InternalTopic> internalTopics, PlanOptions options) {
        this.jobName = jobName;
        this.stages = List.copyOf(stages);
        this.internalTopics = List.copyOf(internalTopics);
        this.options = options;
        for (InternalTopic topic : internalTopics) {
            internalByName.put(topic.name(), topic);
            if (topic.kind() == InternalTopic.Kind.REPARTITION) {
                writerOfRepartition.put(topic.name(), topic.stage());
            }
        }
    }

    /** {@code <job>-<store>-changelog}. */
    public static String changelogTopic(String jobName, String storeName) {
        return jobName + "-" + storeName + "-changelog";
    }

    /** The store of a stage's per-input watermarks. */
    public static String watermarkStoreName(int stage) {
        return "stage-" + stage + "-watermarks";
    }

    public String jobName() {
        return jobName;
    }

    /** Upstream stages first. */
    public List<Stage> stages() {
        return stages;
    }

    public List<InternalTopic> internalTopics() {
        return internalTopics;
    }

    public PlanOptions options() {
        return options;
    }

    /** External topics read (streams and tables), in stage order. */
    public List<String> sourceTopics() {
        Set<String> topics = new LinkedHashSet<>();
        for (Stage stage : stages) {
            for (String topic : stage.inputTopics()) {
                if (!internalByName.containsKey(topic)) {
                    topics.add(topic);
                }
            }
        }
        return List.copyOf(topics);
    }

    /** External topics written, late-record topics included, in stage order. */
    public List<String> sinkTopics() {
        Set<String> topics = new LinkedHashSet<>();
        for (Stage stage : stages) {
            for (String topic : stage.outputTopics()) {
                if (!internalByName.containsKey(topic)) {
                    topics.add(topic);
                }
            }
        }
        return List.copyOf(topics);
    }

    /** The stage that writes a repartition topic. */
    public int writerOf(String repartitionTopic) {
        Integer stage = writerOfRepartition.get(repartitionTopic);
        if (stage == null) {
            throw new IllegalArgumentException(repartitionTopic + " is not a repartition topic of job " + jobName);
        }
        return stage;
    }

    /**
     * The partition count of any topic of the plan.
     *
     * @param sourcePartitions partition counts of the external source topics
     */
    public int partitionCount(String topic, ToIntFunction<String> sourcePartitions) {
        Set<String> seen = new HashSet<>();
        String current = topic;
        InternalTopic internal;
        while ((internal = internalByName.get(current)) != null) {
            if (!seen.add(current)) {
                throw new IllegalStateException("partition counts of " + seen + " refer to each other");
            }
            current = internal.partitionsAsTopic();
        }
        int partitions = sourcePartitions.applyAsInt(current);
        if (partitions <= 0) {
            throw new IllegalArgumentException("topic " + current + " has " + partitions + " partitions");
        }
        return partitions;
    }

    /**
     * The number of tasks of a stage: the common partition count of its input topics.
     *
     * @throws IllegalStateException if its inputs are not co-partitioned
     */
    public int taskCount(Stage stage, ToIntFunction<String> sourcePartitions) {
        int count = -1;
        for (String topic : stage.inputTopics()) {
            int partitions = partitionCount(topic, sourcePartitions);
            if (count >= 0 && partitions != count) {
                List<String> counts = new ArrayList<>();
                for (String t : stage.inputTopics()) {
                    counts.add(t + "=" + partitionCount(t, sourcePartitions));
                }
                throw new IllegalStateException("stage " + stage.index() + " of job " + jobName
                        + " reads topics that are not co-partitioned: " + counts);
            }
            count = partitions;
        }
        return count;
    }

    /** The plan as indented text: per stage its inputs, outputs, state and operator tree. */
    public String explain() {
        StringBuilder text = new StringBuilder();
        text.append("Job ").append(jobName).append(": ").append(stages.size())
                .append(stages.size() == 1 ? " stage" : " stages").append('\n');
        for (Stage stage : stages) {
            text.append("Stage ").append(stage.index()).append(" (one task per partition of ")
                    .append(stage.inputTopics().isEmpty() ? "-" : stage.inputTopics().get(0)).append(")\n");
            text.append("  input topics:  ").append(String.join(", ", stage.inputTopics())).append('\n');
            text.append("  output topics: ").append(String.join(", ", stage.outputTopics())).append('\n');
            if (!stage.changelogTopics().isEmpty()) {
                text.append("  changelogs:    ").append(String.join(", ", stage.changelogTopics())).append('\n');
            }
            Set<PhysicalNode> printed = new HashSet<>();
            for (PhysicalNode node : stage.operators()) {
                if (node.parents().isEmpty()) {
                    appendTree(text, node, 2, printed);
                }
            }
        }
        return text.toString();
    }

    private static void appendTree(StringBuilder text, PhysicalNode node, int depth, Set<PhysicalNode> printed) {
        text.append("  ".repeat(depth)).append("+- ").append(node.operation().label());
        if (!printed.add(node)) {
            text.append(" (see above)\n");
            return;
        }
        text.append('\n');
        for (PhysicalNode child : node.children()) {
            appendTree(text, child, depth + 1, printed);
        }
    }

    @Override
    public String toString() {
        return explain();
    }
}
