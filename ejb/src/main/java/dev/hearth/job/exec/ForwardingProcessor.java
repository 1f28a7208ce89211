package dev.hearth.job.exec;

/**
 * A processor that passes records on to its children, in the order they were added to the DAG. The children
 * array is set once by {@link TaskCompiler} before the first record.
 */
abstract class ForwardingProcessor implements Processor {
    private static final Processor[] NONE = new Processor[0];

    private Processor[] children = NONE;

    final void children(Processor[] children) {
        this.children = children;
    }

    final Processor[] children() {
        return children;
    }

    final void forward(Object key, Object value, long timestampMs) {
        Processor[] targets = children;
        for (int i = 0; i < targets.length; i++) {
            targets[i].process(key, value, timestampMs);
        }
    }
}
