package dev.hearth.job.exec;

/**
 * A snapshot of one task's counters. The counters count since the job's state was last reset, across restarts:
 * the runtime commits them with the task's input offsets and a new incarnation of the task continues from them
 * ({@link StageTask#restoreMetrics}).
 *
 * @param recordsIn    data records processed (watermark control records excluded)
 * @param recordsOut   data records emitted to sink and repartition topics (changelog and control excluded)
 * @param lateRecords  records sent to a late-record side output
 * @param watermarkMs  the task's event-time frontier: min over its input partitions of the max event time seen;
 *                     {@link Long#MIN_VALUE} until every input partition was heard from, {@link Long#MAX_VALUE}
 *                     after {@code finish}. An operator's watermark is this minus its out-of-orderness.
 */
public record TaskMetrics(long recordsIn, long recordsOut, long lateRecords, long watermarkMs) {
}
