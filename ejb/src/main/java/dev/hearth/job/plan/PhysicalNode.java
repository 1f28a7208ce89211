package dev.hearth.job.plan;

import dev.hearth.job.api.Operation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An operator in a {@link Stage}: a logical node, or a repartition sink/source the {@link Planner} inserted.
 * Mutable only while the planner wires it; immutable and shared by all tasks afterwards.
 */
public final class PhysicalNode {
    private final int id;
    private final Operation operation;
    private final List<PhysicalNode> parents = new ArrayList<>();
    private final List<PhysicalNode> children = new ArrayList<>();

    PhysicalNode(int id, Operation operation) {
        this.id = id;
        this.operation = operation;
    }

    void addChild(PhysicalNode child) {
        children.add(child);
        child.parents.add(this);
    }

    /** Unique in the plan; ascending ids are a topological order. */
    public int id() {
        return id;
    }

    public Operation operation() {
        return operation;
    }

    public List<PhysicalNode> parents() {
        return Collections.unmodifiableList(parents);
    }

    public List<PhysicalNode> children() {
        return Collections.unmodifiableList(children);
    }

    @Override
    public String toString() {
        return operation.label();
    }
}
