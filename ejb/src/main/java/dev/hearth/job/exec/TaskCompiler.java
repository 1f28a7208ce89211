package dev.hearth.job.exec;

import dev.hearth.job.api.EventTimeExtractor;
import dev.hearth.job.api.Operation;
import dev.hearth.job.api.Windows;
import dev.hearth.job.plan.PhysicalNode;
import dev.hearth.job.plan.PhysicalPlan;
import dev.hearth.job.plan.Stage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * Compiles a {@link PhysicalPlan} into {@link StageTask}s: for one stage and one partition it instantiates the
 * operators (processors, state stores, watermark channels, inputs and watermark broadcast targets). The plan
 * describes a job and knows nothing of how it runs; this is where the executor reads it.
 * <p>
 * Thread-safety: stateless, callable from any thread; the task it returns belongs to the caller's thread as
 * {@link StageTask} describes, and shares only the user's functions and serdes with other tasks of the plan.
 */
public final class TaskCompiler {

    /** A repartition topic the task writes to, and so broadcasts its watermark to. */
    record BroadcastTarget(String topic, int partitions) {
    }

    /** Everything a {@link StageTask} runs. */
    record CompiledTask(Map<String, TaskInput> inputs, WatermarkTracker watermarks, List<WatermarkListener> windowed,
                        Map<String, StateStore> storesByChangelog, List<BroadcastTarget> broadcastTargets) {
    }

    private TaskCompiler() {
    }

    /**
     * A new task for partition {@code partition} of stage {@code stageIndex}; call its {@code restore} first.
     *
     * @param sourcePartitions partition counts of the external source topics
     * @throws IllegalArgumentException if the stage has no task {@code partition}
     */
    public static StageTask compile(PhysicalPlan plan, int stageIndex, int partition,
                                    ToIntFunction<String> sourcePartitions) {
        return compile(plan, stageIndex, partition, sourcePartitions, null);
    }

    /**
     * A new task for partition {@code partition} of stage {@code stageIndex}, whose persistent stores keep their
     * local copies under {@code stateDirectory}; call its {@code restoreOffsets} and {@code restore} first, and
     * {@code close} it when dropping it.
     *
     * @param stateDirectory root of local state; {@code null}: every store in memory, whatever its kind
     * @throws StateStoreException if a local store cannot be created
     */
    public static StageTask compile(PhysicalPlan plan, int stageIndex, int partition,
                                    ToIntFunction<String> sourcePartitions, StateDirectory stateDirectory) {
        Stage stage = plan.stages().get(stageIndex);
        int tasks = plan.taskCount(stage, sourcePartitions);
        if (partition < 0 || partition >= tasks) {
            throw new IllegalArgumentException("stage " + stageIndex + " has tasks 0.." + (tasks - 1) + ", not "
                    + partition);
        }
        TaskContext context = new TaskContext(new TaskId(stage.index(), partition));
        StoreFactory stores = new StoreFactory(plan, context, stateDirectory == null ? null
                : stateDirectory.task(plan.jobName(), context.id()));
        try {
            CompiledTask compiled = compileOperators(plan, stage, sourcePartitions, context, stores);
            return new StageTask(context, compiled, plan.options().watermarkBroadcastIntervalMs(),
                    stores.directory());
        } catch (RuntimeException | Error e) {
            stores.closeAll();
            throw e;
        }
    }

    private static CompiledTask compileOperators(PhysicalPlan plan, Stage stage, ToIntFunction<String> sourcePartitions,
                                                 TaskContext context, StoreFactory storeFactory) {
        WatermarkTracker watermarks = watermarks(plan, stage, sourcePartitions, context);
        Map<PhysicalNode, Object> processors = new HashMap<>();
        Map<String, TaskInput> inputs = new LinkedHashMap<>();
        List<WatermarkListener> windowed = new ArrayList<>();
        Map<String, StateStore> stores = storeFactory.storesByChangelog();
        List<BroadcastTarget> broadcasts = new ArrayList<>();
        for (PhysicalNode node : stage.operators()) {
            Operation operation = node.operation();
            Object processor;
            if (operation instanceof Operation.Source s) {
                SourceProcessor source = new SourceProcessor(s.keySerde(), s.valueSerde(), soleEventTime(node));
                addInput(inputs, s.topic(), new TaskInput.StreamInput(source, watermarks,
                        watermarks.channel(s.topic()), context));
                processor = source;
            } else if (operation instanceof Operation.RepartitionSource r) {
                SourceProcessor source = new SourceProcessor(r.keySerde(), r.valueSerde(), null);
                int senders = upstreamTasks(plan, stage, r.topic(), sourcePartitions);
                addInput(inputs, r.topic(), new TaskInput.RepartitionInput(source, watermarks,
                        watermarks.channel(WatermarkTracker.channelName(r.topic(), 0)), senders, context));
                processor = source;
            } else if (operation instanceof Operation.TableSource t) {
                KeyValueStore<Object> store = storeFactory.keyValue(t.storeName(), t.valueSerde());
                TableSourceProcessor table = new TableSourceProcessor(store, t.valueSerde());
                addInput(inputs, t.topic(), new TaskInput.TableInput(table, context));
                processor = table;
            } else if (operation instanceof Operation.Map m) {
                processor = new NarrowProcessors.MapProcessor(m.mapper());
            } else if (operation instanceof Operation.MapValues m) {
                processor = new NarrowProcessors.MapValuesProcessor(m.mapper());
            } else if (operation instanceof Operation.Filter f) {
                processor = new NarrowProcessors.FilterProcessor(f.predicate());
            } else if (operation instanceof Operation.FlatMap f) {
                processor = new NarrowProcessors.FlatMapProcessor(f.mapper());
            } else if (operation instanceof Operation.Peek p) {
                processor = new NarrowProcessors.PeekProcessor(p.action());
            } else if (operation instanceof Operation.Branch b) {
                processor = new NarrowProcessors.BranchProcessor(b.predicates());
            } else if (operation instanceof Operation.BranchOutput || operation instanceof Operation.Merge) {
                processor = new NarrowProcessors.PassThrough();
            } else if (operation instanceof Operation.KeyBy k) {
                processor = new NarrowProcessors.KeyByProcessor(k.keySelector());
            } else if (operation instanceof Operation.EventTime e) {
                processor = new NarrowProcessors.EventTimeProcessor(e.extractor());
            } else if (operation instanceof Operation.Foreach f) {
                processor = new NarrowProcessors.ForeachProcessor(f.action());
            } else if (operation instanceof Operation.Sink s) {
                processor = new SinkProcessor(s.topic(), s.keySerde(), s.valueSerde(), false, context);
            } else if (operation instanceof Operation.RepartitionSink r) {
                processor = new SinkProcessor(r.topic(), r.keySerde(), r.valueSerde(), true, context);
                broadcasts.add(new BroadcastTarget(r.topic(), plan.partitionCount(r.topic(), sourcePartitions)));
            } else if (operation instanceof Operation.TableJoin j) {
                TableSourceProcessor table = (TableSourceProcessor) processors.get(node.parents().get(1));
                processor = new TableJoinProcessor(table.store(), j.tableKeySerde(), j.joiner());
            } else if (operation instanceof Operation.Aggregate a) {
                KeyValueStore<Object> store = storeFactory.keyValue(a.storeName(), a.aggregation().aggregateSerde());
                processor = new AggregateProcessor(store, a.keySerde(), a.aggregation());
            } else if (operation instanceof Operation.WindowedAggregate w) {
                if (w.windows().kind() == Windows.Kind.SESSION) {
                    SessionStore<Object, Object> store = storeFactory.session(w.storeName(), w.keySerde(),
                            w.aggregation().aggregateSerde());
                    processor = new SessionAggregateProcessor(store, w.keySerde(), w.aggregation(), w.windows(),
                            w.lateTopic(), context);
                } else if (w.windows().kind() == Windows.Kind.SLIDING) {
                    WindowStore<Object, Object> store = storeFactory.window(w.storeName(), w.keySerde(),
                            w.aggregation().aggregateSerde());
                    JoinWindowStore<Object> records = storeFactory.joinWindow(w.recordStoreName(), w.valueSerde(),
                            w.storeName());
                    processor = new SlidingWindowAggregateProcessor(store, records, w.keySerde(), w.aggregation(),
                            w.windows(), w.lateTopic(), context);
                } else {
                    WindowStore<Object, Object> store = storeFactory.window(w.storeName(), w.keySerde(),
                            w.aggregation().aggregateSerde());
                    processor = new WindowAggregateProcessor(store, w.keySerde(), w.aggregation(), w.windows(),
                            w.lateTopic(), context);
                }
                windowed.add((WatermarkListener) processor);
            } else if (operation instanceof Operation.StreamJoin j) {
                JoinWindowStore<Object> left = storeFactory.joinWindow(j.leftStoreName(), j.leftValueSerde());
                JoinWindowStore<Object> right = storeFactory.joinWindow(j.rightStoreName(), j.rightValueSerde());
                StreamJoinProcessor join = new StreamJoinProcessor(left, right, j.keySerde(), j.joiner(), j.windows(),
                        j.lateTopic(), context);
                windowed.add(join);
                processor = join;
            } else {
                throw new IllegalStateException("no processor for " + operation.label());
            }
            processors.put(node, processor);
        }
        link(stage, processors);
        return new CompiledTask(inputs, watermarks, windowed, stores, broadcasts);
    }

    private static void link(Stage stage, Map<PhysicalNode, Object> processors) {
        for (PhysicalNode node : stage.operators()) {
            if (processors.get(node) instanceof ForwardingProcessor forwarding) {
                Processor[] children = new Processor[node.children().size()];
                for (int i = 0; i < children.length; i++) {
                    PhysicalNode child = node.children().get(i);
                    children[i] = processors.get(child) instanceof StreamJoinProcessor join
                            ? join.input(StreamJoinProcessor.side(node, i, child)) : (Processor) processors.get(child);
                }
                forwarding.children(children);
            }
        }
    }

    private static WatermarkTracker watermarks(PhysicalPlan plan, Stage stage, ToIntFunction<String> sourcePartitions,
                                               TaskContext context) {
        List<String> channels = new ArrayList<>();
        for (PhysicalNode node : stage.operators()) {
            if (node.operation() instanceof Operation.Source s) {
                channels.add(s.topic());
            } else if (node.operation() instanceof Operation.RepartitionSource r) {
                int senders = upstreamTasks(plan, stage, r.topic(), sourcePartitions);
                for (int sender = 0; sender < senders; sender++) {
                    channels.add(WatermarkTracker.channelName(r.topic(), sender));
                }
            }
        }
        String changelog = stage.hasWindowedOperator()
                ? PhysicalPlan.changelogTopic(plan.jobName(), PhysicalPlan.watermarkStoreName(stage.index()))
                : null;
        return new WatermarkTracker(channels, changelog, context);
    }

    private static int upstreamTasks(PhysicalPlan plan, Stage stage, String repartitionTopic,
                                     ToIntFunction<String> sourcePartitions) {
        int upstream = plan.writerOf(repartitionTopic);
        return plan.taskCount(plan.stages().get(upstream), sourcePartitions);
    }

    /** The extractor of an {@code EventTime} that is the sole child of a source: it defines the source's event time. */
    private static EventTimeExtractor<Object, Object> soleEventTime(PhysicalNode source) {
        if (source.children().size() == 1 && source.children().get(0).operation() instanceof Operation.EventTime e) {
            return e.extractor();
        }
        return null;
    }

    private static void addInput(Map<String, TaskInput> inputs, String topic, TaskInput input) {
        if (inputs.putIfAbsent(topic, input) != null) {
            throw new IllegalStateException("topic " + topic + " is read twice in one stage; read it once with"
                    + " JobBuilder.from and reuse the stream");
        }
    }
}
