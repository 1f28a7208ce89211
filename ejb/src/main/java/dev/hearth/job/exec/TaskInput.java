package dev.hearth.job.exec;

/**
 * How a task consumes one of its input topics. Confined to the task's thread.
 */
interface TaskInput {

    /**
     * Processes one record of this input.
     *
     * @return whether the task's event-time frontier advanced
     */
    boolean accept(InputRecord record);

    /** A stream source topic: one watermark channel, advanced by each record's event time after processing it. */
    record StreamInput(SourceProcessor source, WatermarkTracker watermarks, int channel, TaskContext context)
            implements TaskInput {
        @Override
        public boolean accept(InputRecord record) {
            context.countIn();
            long eventTimeMs = source.accept(record);
            return watermarks.advance(channel, eventTimeMs);
        }
    }

    /** A table topic: materialized; not a watermark channel (a table has no event-time progress). */
    record TableInput(TableSourceProcessor table, TaskContext context) implements TaskInput {
        @Override
        public boolean accept(InputRecord record) {
            context.countIn();
            table.accept(record);
            return false;
        }
    }

    /**
     * A repartition topic: one watermark channel per upstream sender, advanced only by control records (the
     * sender's frontier is authoritative); data records flow to the operators with their timestamp as event time.
     */
    record RepartitionInput(SourceProcessor source, WatermarkTracker watermarks, int firstChannel, int senders,
                            TaskContext context) implements TaskInput {
        @Override
        public boolean accept(InputRecord record) {
            byte[] control = WatermarkHeader.find(record.headers());
            if (control == null) {
                context.countIn();
                source.accept(record);
                return false;
            }
            int sender = WatermarkHeader.sender(control);
            if (sender < 0 || sender >= senders) {
                throw new IllegalStateException("watermark from sender " + sender + " on " + record.topic()
                        + " but the plan has " + senders + " upstream tasks: did a partition count change?");
            }
            return watermarks.advance(firstChannel + sender, WatermarkHeader.watermarkMs(control));
        }
    }
}
