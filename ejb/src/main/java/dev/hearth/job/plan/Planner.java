package dev.hearth.job.plan;

import dev.hearth.job.api.JobBuilder;
import dev.hearth.job.api.LogicalNode;
import dev.hearth.job.api.Operation;
import dev.hearth.job.api.Serde;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * Turns the logical DAG into stages. Narrow operators are fused with their parents; the only stage boundary is a
 * repartition topic {@code <job>-<n>-repartition}, inserted on an edge whose child needs co-partitioned input
 * (grouping, windowing, table or stream join) and whose parent's key may have changed since the source or the last
 * repartition ({@code map}, {@code flatMap}, {@code keyBy}). A re-keyed stream that is only mapped, filtered or
 * written out needs no boundary. Stages are then the connected components of the operator graph, and they always
 * form a DAG: where sharing an input would let a stage read its own output (one stream joined with one table both
 * as-is and re-keyed), that input gets a path of its own (see {@link OperatorWiring}).
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

    /** The physical plan of {@code job} as text ({@link PhysicalPlan#explain()}); does not freeze the builder. */
    public static String explain(JobBuilder job) {
        return plan(job).explain();
    }

    /**
     * As {@link #explain(JobBuilder)}, with task and partition counts resolved from the partition counts of the
     * job's external source topics ({@link PhysicalPlan#explain(ToIntFunction)}).
     */
    public static String explain(JobBuilder job, ToIntFunction<String> sourcePartitions) {
        return plan(job).explain(sourcePartitions);
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
        return new OperatorWiring(jobName, nodes, options).wire();
    }

    /**
     * Whether each logical node's output key may differ from the key its records were partitioned by. Operators
     * that need co-partitioned input start afresh (their input was repartitioned if needed, and they keep the
     * key: a {@code Windowed<K>} stays in the task of {@code K}). A node of several parents ({@code merge}) has a
     * changed key if any parent has.
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
                value = false;
                for (LogicalNode parent : node.parents()) {
                    value |= changed[parent.id()];
                }
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

    /**
     * Creates the physical operators of one job, logical node by logical node in topological order, and decides
     * for every edge whether it stays inside a stage or goes through a repartition topic.
     * <p>
     * Invariant: the stages form a DAG. The logical plan is a DAG, not a tree, so an operator may have inputs that
     * already belong to stages connected through repartition topics: {@code s.join(t)} and
     * {@code s.keyBy(g).join(t)} put {@code s} upstream of the second join, and if {@code t} were shared, the stage
     * of {@code s} would read the repartition topic it writes. Before two inputs are wired into one stage the
     * wiring checks that this closes no cycle of stages; an input that would is given its own path instead: a
     * table is materialized again (a copy with its own store) in the operator's stage, a stream goes through a
     * repartition topic by its current key.
     * <p>
     * Used once, by the planning thread.
     */
    private static final class OperatorWiring {

        /** How one input reaches the operator being wired. */
        private enum Path {
            /** The input operator itself, in the operator's stage. */
            DIRECT,
            /** Through a new repartition topic, by the input's current key. */
            REPARTITION,
            /** A materialization of the (table) input in the operator's stage: an existing copy or a new one. */
            TABLE_COPY
        }

        private final String jobName;
        private final List<LogicalNode> nodes;
        private final PlanOptions options;
        private final boolean[] keyChanged;
        private final List<PhysicalNode> physical = new ArrayList<>();
        private final Map<Integer, PhysicalNode> byLogicalId = new HashMap<>();
        private final Map<Integer, List<PhysicalNode>> tableCopies = new HashMap<>(); // logical id -> copies
        private final Map<String, PhysicalNode> repartitionSinks = new HashMap<>();
        private final StageGraph stages = new StageGraph();
        private int repartitions;

        OperatorWiring(String jobName, List<LogicalNode> nodes, PlanOptions options) {
            this.jobName = jobName;
            this.nodes = nodes;
            this.options = options;
            this.keyChanged = keyChanged(nodes);
        }

        PhysicalPlan wire() {
            for (LogicalNode node : nodes) {
                Operation operation = resolve(node.operation(), options);
                List<PhysicalNode> parents = new ArrayList<>();
                for (LogicalNode parent : node.parents()) {
                    parents.add(byLogicalId.get(parent.id()));
                }
                Path[] paths = choosePaths(operation, node, parents);
                List<PhysicalNode> inputs = new ArrayList<>(parents);
                Set<Integer> stageMembers = new LinkedHashSet<>();
                for (int side = 0; side < paths.length; side++) {
                    if (paths[side] == Path.REPARTITION) {
                        inputs.set(side, repartition(parents.get(side), operation, node.parents().get(side), side));
                    }
                    if (paths[side] != Path.TABLE_COPY) {
                        stageMembers.add(inputs.get(side).id());
                    }
                }
                for (int side = 0; side < paths.length; side++) {
                    if (paths[side] == Path.TABLE_COPY) {
                        inputs.set(side, tableCopyFor(node.parents().get(side), stageMembers));
                        stageMembers.add(inputs.get(side).id());
                    }
                }
                PhysicalNode created = add(operation);
                for (PhysicalNode input : inputs) {
                    input.addChild(created);
                    stages.union(input.id(), created.id());
                }
                byLogicalId.put(node.id(), created);
            }
            return new StageAssembler(jobName, physical, repartitionSinks, stages, options).assemble();
        }

        /**
         * How each input reaches {@code operation}. A side whose key changed before a co-partitioned operator is
         * repartitioned; every other side stays in the operator's stage unless that closes a cycle of stages, in
         * which case it is repartitioned (a stream) or materialized again (a table). Sides are tried first to
         * last, then last to first, keeping as many direct as one of these orders allows; failing both, every
         * stream side is repartitioned and every table side copied, which is always acyclic: the operator's
         * stage then has only new inputs and no output yet.
         */
        private Path[] choosePaths(Operation operation, LogicalNode node, List<PhysicalNode> parents) {
            int sides = parents.size();
            Path[] required = new Path[sides];
            for (int side = 0; side < sides; side++) {
                LogicalNode parent = node.parents().get(side);
                if (operation.needsCoPartitionedInput() && !isTable(parent) && keyChanged[parent.id()]) {
                    required[side] = Path.REPARTITION;
                }
            }
            for (boolean reversed : new boolean[] {false, true}) {
                Path[] paths = required.clone();
                boolean acyclic = true;
                for (int i = 0; i < sides && acyclic; i++) {
                    int side = reversed ? sides - 1 - i : i;
                    if (paths[side] != null) {
                        continue;
                    }
                    paths[side] = Path.DIRECT;
                    if (closesCycle(paths, parents)) {
                        paths[side] = isTable(node.parents().get(side)) ? Path.TABLE_COPY : Path.REPARTITION;
                        acyclic = !closesCycle(paths, parents);
                    }
                }
                if (acyclic) {
                    return paths;
                }
            }
            Path[] paths = new Path[sides];
            for (int side = 0; side < sides; side++) {
                paths[side] = isTable(node.parents().get(side)) ? Path.TABLE_COPY : Path.REPARTITION;
            }
            return paths;
        }

        /** Whether the decided paths (null: undecided, left out) would close a cycle of stages. */
        private boolean closesCycle(Path[] paths, List<PhysicalNode> parents) {
            List<Integer> direct = new ArrayList<>();
            List<Integer> repartitioned = new ArrayList<>();
            for (int side = 0; side < paths.length; side++) {
                if (paths[side] == Path.DIRECT) {
                    direct.add(parents.get(side).id());
                } else if (paths[side] == Path.REPARTITION) {
                    repartitioned.add(parents.get(side).id());
                }
            }
            return stages.wouldCloseCycle(direct, repartitioned);
        }

        private static boolean isTable(LogicalNode node) {
            return node.operation() instanceof Operation.TableSource;
        }

        private PhysicalNode add(Operation operation) {
            PhysicalNode node = new PhysicalNode(physical.size(), operation);
            physical.add(node);
            stages.addNode(node.id());
            return node;
        }

        /** Writes {@code input}'s records to a new repartition topic; returns the source reading it. */
        private PhysicalNode repartition(PhysicalNode input, Operation operation, LogicalNode parent, int side) {
            String topic = jobName + "-" + (++repartitions) + "-repartition";
            Serde<Object> keySerde = repartitionKeySerde(operation, parent);
            Serde<Object> valueSerde = repartitionValueSerde(operation, parent, side);
            PhysicalNode sink = add(new Operation.RepartitionSink(topic, keySerde, valueSerde));
            input.addChild(sink);
            stages.union(input.id(), sink.id());
            repartitionSinks.put(topic, sink);
            PhysicalNode source = add(new Operation.RepartitionSource(topic, keySerde, valueSerde));
            stages.addRepartition(sink.id(), source.id());
            return source;
        }

        /**
         * A materialization of {@code table} that can join {@code stageMembers} without closing a cycle: an existing
         * copy if one can, else a new one with its own store, {@code <store>-copy<n>}.
         */
        private PhysicalNode tableCopyFor(LogicalNode table, Set<Integer> stageMembers) {
            List<PhysicalNode> copies = tableCopies.computeIfAbsent(table.id(), k -> new ArrayList<>());
            for (PhysicalNode copy : copies) {
                List<Integer> members = new ArrayList<>(stageMembers);
                members.add(copy.id());
                if (!stages.wouldCloseCycle(members, List.of())) {
                    return copy;
                }
            }
            Operation.TableSource original = (Operation.TableSource) table.operation();
            PhysicalNode copy = add(new Operation.TableSource(original.topic(), original.keySerde(),
                    original.valueSerde(), original.storeName() + "-copy" + (copies.size() + 1)));
            copies.add(copy);
            return copy;
        }
    }

    /**
     * The stages as they form: a union-find over physical operator ids (operators wired directly share a stage)
     * plus the repartition edges from the operator writing a topic to the source reading it. Used by one thread.
     */
    private static final class StageGraph {
        private final List<Integer> parent = new ArrayList<>();
        private final List<int[]> repartitionEdges = new ArrayList<>(); // {sink id, source id}

        void addNode(int id) {
            if (id != parent.size()) {
                throw new IllegalStateException("operator ids must be dense, got " + id + " after " + parent.size());
            }
            parent.add(id);
        }

        void addRepartition(int sinkId, int sourceId) {
            repartitionEdges.add(new int[] {sinkId, sourceId});
        }

        int find(int id) {
            int root = id;
            while (parent.get(root) != root) {
                root = parent.get(root);
            }
            while (parent.get(id) != root) { // path compression
                int next = parent.get(id);
                parent.set(id, root);
                id = next;
            }
            return root;
        }

        void union(int a, int b) {
            int ra = find(a);
            int rb = find(b);
            if (ra != rb) {
                parent.set(Math.max(ra, rb), Math.min(ra, rb));
            }
        }

        /**
         * Whether one stage holding the operators {@code direct} and reading new repartition topics written by the
         * operators {@code repartitioned} would reach itself through repartition topics: true iff a path of at
         * least one repartition edge leads from the stage of one {@code direct} operator to that of another (or to
         * its own), or a path of any length from the stage of a {@code direct} operator to that of a
         * {@code repartitioned} one (which then writes into the merged stage).
         */
        boolean wouldCloseCycle(Collection<Integer> direct, Collection<Integer> repartitioned) {
            Set<Integer> merged = new HashSet<>();
            for (int member : direct) {
                merged.add(find(member));
            }
            Set<Integer> writers = new HashSet<>();
            for (int writer : repartitioned) {
                writers.add(find(writer));
            }
            Map<Integer, List<Integer>> downstream = new HashMap<>();
            for (int[] edge : repartitionEdges) {
                downstream.computeIfAbsent(find(edge[0]), k -> new ArrayList<>()).add(find(edge[1]));
            }
            for (int start : merged) {
                if (writers.contains(start)) {
                    return true;
                }
                Set<Integer> seen = new HashSet<>();
                ArrayDeque<Integer> pending = new ArrayDeque<>(downstream.getOrDefault(start, List.of()));
                while (!pending.isEmpty()) {
                    int stage = pending.poll();
                    if (merged.contains(stage) || writers.contains(stage)) {
                        return true;
                    }
                    if (seen.add(stage)) {
                        pending.addAll(downstream.getOrDefault(stage, List.of()));
                    }
                }
            }
            return false;
        }
    }

    /**
     * Cuts the physical graph into stages (the components of the {@link StageGraph}), orders them upstream first
     * and names their topics.
     */
    private static final class StageAssembler {
        private final String jobName;
        private final List<PhysicalNode> nodes;
        private final Map<String, PhysicalNode> repartitionSinks;
        private final StageGraph graph;
        private final PlanOptions options;

        StageAssembler(String jobName, List<PhysicalNode> nodes, Map<String, PhysicalNode> repartitionSinks,
                       StageGraph graph, PlanOptions options) {
            this.jobName = jobName;
            this.nodes = nodes;
            this.repartitionSinks = repartitionSinks;
            this.graph = graph;
            this.options = options;
        }

        PhysicalPlan assemble() {
            Map<Integer, List<PhysicalNode>> members = new HashMap<>();
            for (PhysicalNode node : nodes) {
                members.computeIfAbsent(find(node.id()), k -> new ArrayList<>()).add(node);
            }
            Map<Integer, Integer> depth = new HashMap<>();
            for (Integer root : members.keySet()) {
                depth(root, members, depth, new LinkedHashSet<>());
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
                    if (w.recordStoreName() != null) {
                        changelogs.add(PhysicalPlan.changelogTopic(jobName, w.recordStoreName()));
                    }
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

        /**
         * The longest chain of repartition topics from an external source to the stage of {@code root}; each stage
         * is visited once. {@link OperatorWiring} keeps the stages acyclic; a cycle is still reported, not
         * recursed into.
         */
        private int depth(int root, Map<Integer, List<PhysicalNode>> members, Map<Integer, Integer> memo,
                          Set<Integer> inProgress) {
            Integer known = memo.get(root);
            if (known != null) {
                return known;
            }
            if (!inProgress.add(root)) {
                throw new IllegalStateException("stages of job " + jobName + " read each other's repartition topics"
                        + " in a cycle, through the stages of operators " + inProgress.stream()
                        .map(r -> members.get(r).get(0).toString()).toList());
            }
            int value = 0;
            for (PhysicalNode node : members.get(root)) {
                if (node.operation() instanceof Operation.RepartitionSource r) {
                    int upstreamRoot = find(repartitionSinks.get(r.topic()).id());
                    value = Math.max(value, 1 + depth(upstreamRoot, members, memo, inProgress));
                }
            }
            inProgress.remove(root);
            memo.put(root, value);
            return value;
        }

        private int find(int id) {
            return graph.find(id);
        }
    }
}
