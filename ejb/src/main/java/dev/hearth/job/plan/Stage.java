package dev.hearth.job.plan;

import dev.hearth.job.api.Operation;

import java.util.List;

/**
 * A pipelined group of operators run by one task per input partition, with no data exchange between tasks: all
 * its input topics are co-partitioned (task {@code p} reads partition {@code p} of each). Stages exchange records
 * only through repartition topics. Immutable.
 *
 * @param index            position in {@link PhysicalPlan#stages()}; upstream stages have lower indexes
 * @param operators        the stage's operators in topological order
 * @param inputTopics      source, table and repartition topics the stage reads
 * @param outputTopics     sink, repartition and late-record topics the stage writes (changelogs excluded)
 * @param changelogTopics  changelog topics of the stage's state stores, partition = task partition
 * @param upstreamStages   for each repartition input topic (same order as they appear in inputTopics), the
 *                         index of the stage writing it; its task count is the number of watermark senders
 */
public record Stage(int index, List<PhysicalNode> operators, List<String> inputTopics, List<String> outputTopics,
                    List<String> changelogTopics, List<Integer> upstreamStages) {

    public Stage {
        operators = List.copyOf(operators);
        inputTopics = List.copyOf(inputTopics);
        outputTopics = List.copyOf(outputTopics);
        changelogTopics = List.copyOf(changelogTopics);
        upstreamStages = List.copyOf(upstreamStages);
    }

    /** Operator labels in topological order, e.g. {@code [Source[a], Filter, Sink[b]]}. */
    public List<String> operatorLabels() {
        return operators.stream().map(n -> n.operation().label()).toList();
    }

    /** Whether the stage has a windowed operator, and so tracks and persists watermarks. */
    public boolean hasWindowedOperator() {
        for (PhysicalNode node : operators) {
            if (node.operation() instanceof Operation.WindowedAggregate
                    || node.operation() instanceof Operation.StreamJoin) {
                return true;
            }
        }
        return false;
    }
}
