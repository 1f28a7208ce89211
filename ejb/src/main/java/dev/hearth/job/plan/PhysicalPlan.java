package dev.hearth.job.plan;

import dev.hearth.job.api.Operation;
import dev.hearth.job.api.Serde;
import dev.hearth.job.api.Serdes;

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

    /**
     * The plan as indented text: per stage its inputs, outputs, state and operator tree; every topic with its key
     * and value serdes (as {@link dev.hearth.job.api.Serdes#nameOf} names them), internal topics with the topic
     * whose partition count they copy. Partition counts of external topics are not known to the plan: see
     * {@link #explain(ToIntFunction)}.
     */
    public String explain() {
        return explain(null);
    }

    /**
     * As {@link #explain()}, with the task count of every stage and the partition count of every topic the job
     * reads or creates resolved.
     *
     * @param sourcePartitions partition counts of the external source topics; {@code null} to leave them open
     * @throws IllegalStateException if a stage's inputs are not co-partitioned
     */
    public String explain(ToIntFunction<String> sourcePartitions) {
        Map<String, String> formats = topicFormats();
        StringBuilder text = new StringBuilder();
        text.append("Job ").append(jobName).append(": ").append(stages.size())
                .append(stages.size() == 1 ? " stage" : " stages").append('\n');
        for (Stage stage : stages) {
            text.append("Stage ").append(stage.index()).append(" (");
            if (sourcePartitions != null) {
                int tasks = taskCount(stage, sourcePartitions);
                text.append(tasks).append(tasks == 1 ? " task" : " tasks").append(", one per partition of ");
            } else {
                text.append("one task per partition of ");
            }
            text
                    .append(stage.inputTopics().isEmpty() ? "-" : stage.inputTopics().get(0)).append(")\n");
            text.append("  input topics:  ").append(describe(stage.inputTopics(), formats, true, sourcePartitions))
                    .append('\n');
            text.append("  output topics: ").append(describe(stage.outputTopics(), formats, false, sourcePartitions))
                    .append('\n');
            if (!stage.changelogTopics().isEmpty()) {
                text.append("  changelogs:    ")
                        .append(describe(stage.changelogTopics(), formats, false, sourcePartitions)).append('\n');
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

    /** {@code topic (key k, value v, n partitions)} for each topic, comma-separated. */
    private String describe(List<String> topics, Map<String, String> formats, boolean input,
                            ToIntFunction<String> sourcePartitions) {
        List<String> described = new ArrayList<>();
        for (String topic : topics) {
            List<String> details = new ArrayList<>();
            if (formats.containsKey(topic)) {
                details.add(formats.get(topic));
            }
            InternalTopic internal = internalByName.get(topic);
            if (sourcePartitions != null && (input || internal != null)) {
                int partitions = partitionCount(topic, sourcePartitions);
                details.add(partitions + (partitions == 1 ? " partition" : " partitions"));
            } else if (internal != null) {
                details.add("partitions as " + internal.partitionsAsTopic());
            }
            described.add(details.isEmpty() ? topic : topic + " (" + String.join(", ", details) + ")");
        }
        return String.join(", ", described);
    }

    /** The record format of every topic read or written by an operator; changelogs have none. */
    private Map<String, String> topicFormats() {
        Map<String, String> formats = new HashMap<>();
        for (Stage stage : stages) {
            for (PhysicalNode node : stage.operators()) {
                Operation operation = node.operation();
                if (operation instanceof Operation.Source s) {
                    formats.put(s.topic(), format(s.keySerde(), s.valueSerde()));
                } else if (operation instanceof Operation.TableSource t) {
                    formats.put(t.topic(), format(t.keySerde(), t.valueSerde()));
                } else if (operation instanceof Operation.Sink s) {
                    formats.put(s.topic(), format(s.keySerde(), s.valueSerde()));
                } else if (operation instanceof Operation.RepartitionSink r) {
                    formats.put(r.topic(), format(r.keySerde(), r.valueSerde()));
                } else if (operation instanceof Operation.WindowedAggregate w) {
                    formats.put(w.lateTopic(), "late records as read");
                } else if (operation instanceof Operation.StreamJoin j) {
                    formats.put(j.lateTopic(), "late records as read");
                }
            }
        }
        return formats;
    }

    private static String format(Serde<?> keySerde, Serde<?> valueSerde) {
        return "key " + Serdes.nameOf(keySerde) + ", value " + Serdes.nameOf(valueSerde);
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
