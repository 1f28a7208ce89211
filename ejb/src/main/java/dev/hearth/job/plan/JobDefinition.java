package dev.hearth.job.plan;

import dev.hearth.job.api.LogicalNode;

import java.util.List;

/**
 * A built job: the logical DAG as written and the physical plan derived from it. Immutable and thread-safe;
 * building it ran nothing.
 *
 * @param name         the job name, prefix of every internal topic
 * @param logicalNodes the logical DAG, in topological order
 * @param plan         the stages, the internal topics and the task factory
 */
public record JobDefinition(String name, List<LogicalNode> logicalNodes, PhysicalPlan plan) {

    public JobDefinition {
        logicalNodes = List.copyOf(logicalNodes);
    }

    /** External topics read, as streams or tables. */
    public List<String> sourceTopics() {
        return plan.sourceTopics();
    }

    /** External topics written, late-record topics included. */
    public List<String> sinkTopics() {
        return plan.sinkTopics();
    }

    /** Repartition and changelog topics the job needs created. */
    public List<InternalTopic> internalTopics() {
        return plan.internalTopics();
    }

    /** The layout of the job's state, which a redeployed version must keep to resume from it. */
    public StateLayout stateLayout() {
        return StateLayout.of(internalTopics());
    }
}
