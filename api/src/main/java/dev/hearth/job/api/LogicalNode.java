package dev.hearth.job.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A node of the logical DAG as the user built it. Nodes are created parents-first, so ascending {@link #id()} is a
 * topological order. Children are appended while the job is being built (single-threaded, by the
 * {@link JobBuilder}) and never after the planner's {@code build}.
 */
public final class LogicalNode {
    private final int id;
    private final Operation operation;
    private final List<LogicalNode> parents;
    private final List<LogicalNode> children = new ArrayList<>();
    private final Serde<Object> keySerde;   // serde of the output key, null if unknown
    private final Serde<Object> valueSerde; // serde of the output value, null if unknown

    public LogicalNode(int id, Operation operation, List<LogicalNode> parents, Serde<Object> keySerde,
                       Serde<Object> valueSerde) {
        this.id = id;
        this.operation = operation;
        this.parents = List.copyOf(parents);
        this.keySerde = keySerde;
        this.valueSerde = valueSerde;
        for (LogicalNode parent : parents) {
            parent.children.add(this);
        }
    }

    public int id() {
        return id;
    }

    public Operation operation() {
        return operation;
    }

    public List<LogicalNode> parents() {
        return parents;
    }

    public List<LogicalNode> children() {
        return Collections.unmodifiableList(children);
    }

    public Serde<Object> keySerde() {
        return keySerde;
    }

    public Serde<Object> valueSerde() {
        return valueSerde;
    }

    @Override
    public String toString() {
        return id + ":" + operation.label();
    }
}
