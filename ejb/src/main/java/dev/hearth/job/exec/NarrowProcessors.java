package dev.hearth.job.exec;

import dev.hearth.job.api.EventTimeExtractor;
import dev.hearth.job.api.KeyValue;

import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import java.util.function.Function;

/**
 * The stateless record-at-a-time operators, one small class each. They allocate nothing of their own per record
 * (the user's functions may). Confined to the task's thread.
 */
final class NarrowProcessors {

    private NarrowProcessors() {
    }

    /** Passes records through unchanged (branch outputs). */
    static final class PassThrough extends ForwardingProcessor {
        @Override
        public void process(Object key, Object value, long timestampMs) {
            forward(key, value, timestampMs);
        }
    }

    static final class MapProcessor extends ForwardingProcessor {
        private final BiFunction<Object, Object, KeyValue<Object, Object>> mapper;

        MapProcessor(BiFunction<Object, Object, KeyValue<Object, Object>> mapper) {
            this.mapper = mapper;
        }

        @Override
        public void process(Object key, Object value, long timestampMs) {
            KeyValue<Object, Object> mapped = mapper.apply(key, value);
            if (mapped != null) {
                forward(mapped.key(), mapped.value(), timestampMs);
            }
        }
    }

    static final class MapValuesProcessor extends ForwardingProcessor {
        private final Function<Object, Object> mapper;

        MapValuesProcessor(Function<Object, Object> mapper) {
            this.mapper = mapper;
        }

        @Override
        public void process(Object key, Object value, long timestampMs) {
            forward(key, mapper.apply(value), timestampMs);
        }
    }

    static final class FilterProcessor extends ForwardingProcessor {
        private final BiPredicate<Object, Object> predicate;

        FilterProcessor(BiPredicate<Object, Object> predicate) {
            this.predicate = predicate;
        }

        @Override
        public void process(Object key, Object value, long timestampMs) {
            if (predicate.test(key, value)) {
                forward(key, value, timestampMs);
            }
        }
    }

    static final class FlatMapProcessor extends ForwardingProcessor {
        private final BiFunction<Object, Object, Iterable<KeyValue<Object, Object>>> mapper;

        FlatMapProcessor(BiFunction<Object, Object, Iterable<KeyValue<Object, Object>>> mapper) {
            this.mapper = mapper;
        }

        @Override
        public void process(Object key, Object value, long timestampMs) {
            Iterable<KeyValue<Object, Object>> mapped = mapper.apply(key, value);
            if (mapped != null) {
                for (KeyValue<Object, Object> record : mapped) {
                    forward(record.key(), record.value(), timestampMs);
                }
            }
        }
    }

    static final class PeekProcessor extends ForwardingProcessor {
        private final BiConsumer<Object, Object> action;

        PeekProcessor(BiConsumer<Object, Object> action) {
            this.action = action;
        }

        @Override
        public void process(Object key, Object value, long timestampMs) {
            action.accept(key, value);
            forward(key, value, timestampMs);
        }
    }

    /** Sends each record to child {@code i} for the first predicate {@code i} that accepts it. */
    static final class BranchProcessor extends ForwardingProcessor {
        private final BiPredicate<Object, Object>[] predicates;

        @SuppressWarnings("unchecked")
        BranchProcessor(List<BiPredicate<Object, Object>> predicates) {
            this.predicates = predicates.toArray(new BiPredicate[0]);
        }

        @Override
        public void process(Object key, Object value, long timestampMs) {
            Processor[] outputs = children();
            for (int i = 0; i < predicates.length; i++) {
                if (predicates[i].test(key, value)) {
                    outputs[i].process(key, value, timestampMs);
                    return;
                }
            }
        }
    }

    static final class KeyByProcessor extends ForwardingProcessor {
        private final BiFunction<Object, Object, Object> keySelector;

        KeyByProcessor(BiFunction<Object, Object, Object> keySelector) {
            this.keySelector = keySelector;
        }

        @Override
        public void process(Object key, Object value, long timestampMs) {
            forward(keySelector.apply(key, value), value, timestampMs);
        }
    }

    static final class EventTimeProcessor extends ForwardingProcessor {
        private final EventTimeExtractor<Object, Object> extractor;

        EventTimeProcessor(EventTimeExtractor<Object, Object> extractor) {
            this.extractor = extractor;
        }

        @Override
        public void process(Object key, Object value, long timestampMs) {
            forward(key, value, extractor.extract(key, value, timestampMs));
        }
    }

    static final class ForeachProcessor implements Processor {
        private final BiConsumer<Object, Object> action;

        ForeachProcessor(BiConsumer<Object, Object> action) {
            this.action = action;
        }

        @Override
        public void process(Object key, Object value, long timestampMs) {
            action.accept(key, value);
        }
    }
}
