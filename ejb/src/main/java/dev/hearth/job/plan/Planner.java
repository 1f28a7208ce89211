package dev.hearth.job.plan;

import dev.hearth.job.api.JobBuilder;
import dev.hearth.job.api.LogicalNode;
import dev.hearth.job.api.Operation;
import dev.hearth.job.api.Serde;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the logical DAG into stages. Narrow operators are fused with their parents; the only stage boundary is a
 * repartition topic {@code <job>-<n>-repartition}, inserted on an edge whose child needs co-partitioned input
 * (grouping, windowing, table or stream join) and whose parent's key may have changed since the source or the last
 * repartition ({@code map}, {@code flatMap}, {@code keyBy}). A re-keyed stream that is only mapped, filtered or
 * written out needs no boundary. Stages are then the connected components of the operator graph.
 * <p>
 * Stateless and thread-safe.
 */
public final class Planner {

    private Planner() {
    }

    /** Plans the job {@code job} built; the builder accepts no further nodes. */
    public static JobDefinition build(JobBuilder job) {
        PhysicalPlan plan = plan(job);
        job.freeze();
        return new JobDefinition(job.name(), job.nodes(), plan);
    }

    /** The physical plan of {@code job} as text; does not freeze the builder. */
    public static String explain(JobBuilder job) {
        return plan(job).explain();
    }

    private static PhysicalPlan plan(JobBuilder job) {
        if (job.nodes().isEmpty()) {
            throw new IllegalStateException("job " + job.name() + " reads no topic");
        }
        PlanOptions options = new PlanOptions(job.lateRecordsTopic(), job.watermarkBroadcastIntervalMs(),
                job.defaultStoreKind(), job.storeKinds());
        return plan(job.name(), job.nodes(), options);
    }

    /**
     * @param jobName job name, prefix of internal topics
     * @param nodes   logical nodes in ascending id order, ids {@code 0..n-1}
     */
    public static PhysicalPlan plan(String jobName, List<LogicalNode> nodes, PlanOptions options) {
        boolean[] keyChanged = keyChanged(nodes);
        List<PhysicalNode> physical = new ArrayList<>();
        Map<Integer, PhysicalNode> byLogicalId = new HashMap<>();
        Map<String, PhysicalNode> repartitionSinks = new HashMap<>();
        int repartitions = 0;
        for (LogicalNode node : nodes) {
            Operation operation = resolve(node.operation(), options);
            List<PhysicalNode> inputs = new ArrayList<>();
            for (int side = 0; side < node.parents().size(); side++) {
                LogicalNode parent = node.parents().get(side);
                PhysicalNode input = byLogicalId.get(parent.id());
                boolean streamInput = !(parent.operation() instanceof Operation.TableSource);
                if (operation.needsCoPartitionedInput() && streamInput && keyChanged[parent.id()]) {
                    String topic = jobName + "-" + (++repartitions) + "-repartition";
                    Serde<Object> keySerde = repartitionKeySerde(operation, parent);
                    Serde<Object> valueSerde = repartitionValueSerde(operation, parent, side);
                    PhysicalNode sink = new PhysicalNode(physical.size(),
                            new Operation.RepartitionSink(topic, keySerde, valueSerde));
                    physical.add(sink);
                    input.addChild(sink);
                    repartitionSinks.put(topic, sink);
                    input = new PhysicalNode(physical.size(), new Operation.RepartitionSource(topic, keySerde, valueSerde));
                    physical.add(input);
                }
                inputs.add(input);
            }
            PhysicalNode created = new PhysicalNode(physical.size(), operation);
            physical.add(created);
            for (PhysicalNode input : inputs) {
                input.addChild(created);
            }
            byLogicalId.put(node.id(), created);
        }
        return new StageAssembler(jobName, physical, repartitionSinks, options).assemble();
    }

    /**
     * Whether each logical node's output key may differ from the key its records were partitioned by. Operators
     * that need co-partitioned input start afresh (their input was repartitioned if needed, and they keep the
     * key: a {@code Windowed<K>} stays in the task of {@code K}).
     */
    private static boolean[] keyChanged(List<LogicalNode> nodes) {
        boolean[] changed = new boolean[nodes.size()];
        for (LogicalNode node : nodes) {
            Operation operation = node.operation();
            boolean value;
            if (node.parents().isEmpty() || operation.needsCoPartitionedInput()) {
                value = false;
            } else if (operation.changesKey()) {
                value = true;
            } else {
                value = changed[node.parents().get(0).id()];
            }
            changed[node.id()] = value;
        }
        return changed;
    }

    private static Operation resolve(Operation operation, PlanOptions options) {
        if (operation instanceof Operation.WindowedAggregate w && w.lateTopic() == null) {
            String late = w.windows().lateRecordsTopic() != null ? w.windows().lateRecordsTopic()
                    : options.defaultLateTopic();
            return new Operation.WindowedAggregate(w.storeName(), w.aggregation(), w.keySerde(), w.valueSerde(),
                    w.windows(), late);
        }
        if (operation instanceof Operation.StreamJoin j && j.lateTopic() == null) {
            String late = j.windows().lateRecordsTopic() != null ? j.windows().lateRecordsTopic()
                    : options.defaultLateTopic();
            return new Operation.StreamJoin(j.leftStoreName(), j.rightStoreName(), j.joiner(), j.windows(),
                    j.keySerde(), j.leftValueSerde(), j.rightValueSerde(), late);
        }
        return operation;
    }

    private static Serde<Object> repartitionKeySerde(Operation operation, LogicalNode parent) {
        Serde<Object> serde;
        if (operation instanceof Operation.Aggregate a) {
            serde = a.keySerde();
        } else if (operation instanceof Operation.WindowedAggregate w) {
            serde = w.keySerde();
        } else if (operation instanceof Operation.TableJoin j) {
            serde = parent.keySerde() != null ? parent.keySerde() : j.tableKeySerde();
        } else if (operation instanceof Operation.StreamJoin j) {
            serde = j.keySerde();
        } else {
            serde = parent.keySerde();
        }
        return requireSerde(serde, "key", parent);
    }

    /** @param side the index of {@code parent} among the node's parents (0 = left of a join) */
    private static Serde<Object> repartitionValueSerde(Operation operation, LogicalNode parent, int side) {
        Serde<Object> serde;
        if (operation instanceof Operation.Aggregate a) {
            serde = a.valueSerde();
        } else if (operation instanceof Operation.WindowedAggregate w) {
            serde = w.valueSerde();
        } else if (operation instanceof Operation.StreamJoin j) {
            serde = side == 0 ? j.leftValueSerde() : j.rightValueSerde();
        } else {
            serde = parent.valueSerde();
        }
        return requireSerde(serde, "value", parent);
    }

    private static Serde<Object> requireSerde(Serde<Object> serde, String what, LogicalNode parent) {
        if (serde == null) {
            throw new IllegalStateException("the " + what + " serde of " + parent + " is unknown but its records"
                    + " must be repartitioned; give it with groupByKey(keySerde, valueSerde) or mapValues(f, serde)");
        }
        return serde;
    }

    /** Cuts the physical graph into stages and names their topics. */
    private static final class StageAssembler {
        private final String jobName;
        private final List<PhysicalNode> nodes;
        private final Map<String, PhysicalNode> repartitionSinks;
        private final PlanOptions options;
        private final int[] component;

        StageAssembler(String jobName, List<PhysicalNode> nodes, Map<String, PhysicalNode> repartitionSinks,
                       PlanOptions options) {
            this.jobName = jobName;
            this.nodes = nodes;
            this.repartitionSinks = repartitionSinks;
            this.options = options;
            this.component = new int[nodes.size()];
        }

        PhysicalPlan assemble() {
            for (int i = 0; i < component.length; i++) {
                component[i] = i;
            }
            for (PhysicalNode node : nodes) {
                for (PhysicalNode child : node.children()) {
                    union(node.id(), child.id());
                }
            }
            Map<Integer, List<PhysicalNode>> members = new HashMap<>();
            for (PhysicalNode node : nodes) {
                members.computeIfAbsent(find(node.id()), k -> new ArrayList<>()).add(node);
            }
            Map<Integer, Integer> depth = new HashMap<>();
            for (Integer root : members.keySet()) {
                depth(root, members, depth);
            }
            List<Integer> roots = new ArrayList<>(members.keySet());
            roots.sort(Comparator.<Integer>comparingInt(depth::get).thenComparingInt(r -> members.get(r).get(0).id()));
            Map<Integer, Integer> stageOfRoot = new HashMap<>();
            for (int i = 0; i < roots.size(); i++) {
                stageOfRoot.put(roots.get(i), i);
            }
            List<Stage> stages = new ArrayList<>();
            for (Integer root : roots) {
                stages.add(stage(stageOfRoot.get(root), members.get(root), stageOfRoot));
            }
            return new PhysicalPlan(jobName, stages, internalTopics(stages), options);
        }

        private Stage stage(int index, List<PhysicalNode> operators, Map<Integer, Integer> stageOfRoot) {
            Set<String> inputs = new LinkedHashSet<>();
            Set<String> outputs = new LinkedHashSet<>();
            Set<String> changelogs = new LinkedHashSet<>();
            List<Integer> upstream = new ArrayList<>();
            boolean windowed = false;
            for (PhysicalNode node : operators) {
                Operation operation = node.operation();
                if (operation instanceof Operation.Source s) {
                    inputs.add(s.topic());
                } else if (operation instanceof Operation.TableSource t) {
                    inputs.add(t.topic());
                    changelogs.add(PhysicalPlan.changelogTopic(jobName, t.storeName()));
                } else if (operation instanceof Operation.RepartitionSource r) {
                    if (inputs.add(r.topic())) {
                        upstream.add(stageOfRoot.get(find(repartitionSinks.get(r.topic()).id())));
                    }
                } else if (operation instanceof Operation.Sink s) {
                    outputs.add(s.topic());
                } else if (operation instanceof Operation.RepartitionSink r) {
                    outputs.add(r.topic());
                } else if (operation instanceof Operation.Aggregate a) {
                    changelogs.add(PhysicalPlan.changelogTopic(jobName, a.storeName()));
                } else if (operation instanceof Operation.WindowedAggregate w) {
                    outputs.add(w.lateTopic());
                    changelogs.add(PhysicalPlan.changelogTopic(jobName, w.storeName()));
                    windowed = true;
                } else if (operation instanceof Operation.StreamJoin j) {
                    outputs.add(j.lateTopic());
                    changelogs.add(PhysicalPlan.changelogTopic(jobName, j.leftStoreName()));
                    changelogs.add(PhysicalPlan.changelogTopic(jobName, j.rightStoreName()));
                    windowed = true;
                }
            }
            if (windowed) {
                changelogs.add(PhysicalPlan.changelogTopic(jobName, PhysicalPlan.watermarkStoreName(index)));
            }
            return new Stage(index, operators, List.copyOf(inputs), List.copyOf(outputs), List.copyOf(changelogs),
                    upstream);
        }

        private List<InternalTopic> internalTopics(List<Stage> stages) {
            List<InternalTopic> topics = new ArrayList<>();
            for (Stage stage : stages) {
                String tableTopic = null;
                String streamTopic = null;
                for (PhysicalNode node : stage.operators()) {
                    if (node.operation() instanceof Operation.TableSource t && tableTopic == null) {
                        tableTopic = t.topic();
                    } else if (node.operation() instanceof Operation.Source s && streamTopic == null) {
                        streamTopic = s.topic();
                    }
                }
                for (PhysicalNode node : stage.operators()) {
                    if (node.operation() instanceof Operation.RepartitionSink r) {
                        topics.add(new InternalTopic(r.topic(), InternalTopic.Kind.REPARTITION, null, stage.index()));
                    }
                }
                for (String changelog : stage.changelogTopics()) {
                    topics.add(new InternalTopic(changelog, InternalTopic.Kind.CHANGELOG,
                            stage.inputTopics().get(0), stage.index()));
                }
                // A repartition topic has as many partitions as its reader has tasks: the table it is joined
                // with, if any, else the source stream it is joined with, else the task count of the writer of
                // the reader's first repartition topic (all repartition topics of a stream-stream join copy it).
                String like = tableTopic != null ? tableTopic : streamTopic;
                for (PhysicalNode node : stage.operators()) {
                    if (node.operation() instanceof Operation.RepartitionSource r) {
                        int writer = stages.indexOf(stageOf(stages, repartitionSinks.get(r.topic())));
                        if (like == null) {
                            like = stages.get(writer).inputTopics().get(0);
                        }
                        String partitionsAs = like;
                        topics.replaceAll(t -> t.name().equals(r.topic())
                                ? new InternalTopic(t.name(), t.kind(), partitionsAs, t.stage()) : t);
                    }
                }
            }
            return topics;
        }

        private static Stage stageOf(List<Stage> stages, PhysicalNode node) {
            for (Stage stage : stages) {
                if (stage.operators().contains(node)) {
                    return stage;
                }
            }
            throw new IllegalStateException("operator " + node + " is in no stage");
        }

        private int depth(int root, Map<Integer, List<PhysicalNode>> members, Map<Integer, Integer> memo) {
            Integer known = memo.get(root);
            if (known != null) {
                return known;
            }
            int value = 0;
            for (PhysicalNode node : members.get(root)) {
                if (node.operation() instanceof Operation.RepartitionSource r) {
                    int upstreamRoot = find(repartitionSinks.get(r.topic()).id());
                    value = Math.max(value, 1 + depth(upstreamRoot, members, memo));
                }
            }
            memo.put(root, value);
            return value;
        }

        private int find(int i) {
            while (component[i] != i) {
                component[i] = component[component[i]];
                i = component[i];
            }
            return i;
        }

        private void union(int a, int b) {
            int ra = find(a);
            int rb = find(b);
            if (ra != rb) {
                component[Math.max(ra, rb)] = Math.min(ra, rb);
            }
        }
    }
}
