package dev.hearth.job.boundary;

import java.util.HashMap;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.hearth.connector.api.HearthConnectionException;
import dev.hearth.connector.api.HearthError;
import dev.hearth.group.boundary.GroupAdmin;
import dev.hearth.job.control.BoundedRun;
import dev.hearth.job.control.JobStatus;
import dev.hearth.platform.rest.BadRequest;
import dev.hearth.platform.rest.ClusterPath;
import dev.hearth.platform.rest.JsonBodies;
import dev.hearth.security.boundary.RequiresAcl;
import dev.hearth.security.control.AclOperation;
import dev.hearth.security.control.AclResourceType;

/**
 * Stream jobs: list, status with the physical plan and per-task figures, pause, resume, reset (reprocess from
 * the earliest offsets or a timestamp) and bounded runs (the same dataflow as a batch job over a time range).
 * Stateless; thread-safe.
 */
@Path("/v3/clusters/{clusterId}/jobs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Stream jobs", description = "Stream-processing jobs deployed by the applications on this server")
public class JobsResource {

    @Inject
    JobRuntime runtime;

    @Inject
    GroupAdmin groups;

    @Inject
    ClusterPath cluster;

    @RequiresAcl(value = AclOperation.DESCRIBE, on = AclResourceType.CLUSTER)
    @GET
    @Operation(summary = "Lists the deployed stream jobs with their state and throughput counters")
    public JsonObject list(@PathParam("clusterId") String clusterId) {
        cluster.require(clusterId);
        JsonArrayBuilder data = Json.createArrayBuilder();
        for (JobStatus job : runtime.list()) {
            data.add(summary(job));
        }
        return Json.createObjectBuilder().add("kind", "StreamJobList").add("data", data).build();
    }

    @RequiresAcl(value = AclOperation.DESCRIBE, on = AclResourceType.CLUSTER)
    @GET
    @Path("{job}")
    @Operation(summary = "Describes a job: state, lag, plan (explain) and per-task records and watermarks")
    public JsonObject describe(@PathParam("clusterId") String clusterId, @PathParam("job") String name) {
        cluster.require(clusterId);
        return detail(runtime.status(name));
    }

    @RequiresAcl(value = AclOperation.ALTER, on = AclResourceType.CLUSTER)
    @POST
    @Path("{job}:pause")
    @Operation(summary = "Pauses a job: it keeps its partitions and state and consumes nothing until resumed")
    public JsonObject pause(@PathParam("clusterId") String clusterId, @PathParam("job") String name) {
        cluster.require(clusterId);
        return detail(runtime.pause(name));
    }

    @RequiresAcl(value = AclOperation.ALTER, on = AclResourceType.CLUSTER)
    @POST
    @Path("{job}:resume")
    @Operation(summary = "Resumes a paused job")
    public JsonObject resume(@PathParam("clusterId") String clusterId, @PathParam("job") String name) {
        cluster.require(clusterId);
        return detail(runtime.resume(name));
    }

    @RequiresAcl(value = AclOperation.ALTER, on = AclResourceType.CLUSTER)
    @POST
    @Path("{job}:reset")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Reprocesses a job from {\"to\": \"earliest\"} or {\"to\": \"timestamp\", \"timestamp\": ms}",
            description = "Stops the job, empties its state, moves its group and starts it again; its outputs "
                    + "receive the recomputed results after the earlier ones.")
    public JsonObject reset(@PathParam("clusterId") String clusterId, @PathParam("job") String name, JsonValue body) {
        cluster.require(clusterId);
        JsonObject request = JsonBodies.requireObject(body, "The request body");
        String to = request.getString("to", "");
        Long timestampMs = switch (to) {
            case "earliest" -> null;
            case "timestamp" -> {
                JsonValue timestamp = request.get("timestamp");
                if (!(timestamp instanceof JsonNumber number) || !number.isIntegral() || number.longValue() < 0) {
                    throw new BadRequest("'timestamp' (epoch milliseconds, >= 0) is required with \"to\": \"timestamp\"");
                }
                yield number.longValue();
            }
            default -> throw new BadRequest("'to' must be \"earliest\" or \"timestamp\", got \"" + to + "\"");
        };
        return detail(runtime.reset(name, timestampMs));
    }

    @RequiresAcl(value = AclOperation.ALTER, on = AclResourceType.CLUSTER)
    @POST
    @Path("{job}:run-bounded")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Runs the job once, as a batch job, over its source records with timestamps in "
            + "[from_timestamp, to_timestamp)",
            description = "Body: {\"from_timestamp\": ms (default 0), \"to_timestamp\": ms (default: now), "
                    + "\"outputs\": {\"sink-topic\": \"other-topic\"} (optional renames)}. Answers 202 with the run; "
                    + "GET its Location for progress. Every window of the range is emitted at the end.")
    public Response runBounded(@PathParam("clusterId") String clusterId, @PathParam("job") String name,
                               JsonValue body, @Context UriInfo uri) {
        cluster.require(clusterId);
        JsonObject request = JsonBodies.requireObject(body, "The request body");
        long fromMs = timestamp(request, "from_timestamp", 0);
        long toMs = timestamp(request, "to_timestamp", System.currentTimeMillis());
        if (fromMs >= toMs) {
            throw new BadRequest("from_timestamp must be before to_timestamp");
        }
        Map<String, String> outputs = new HashMap<>();
        JsonValue renames = request.get("outputs");
        if (renames != null) {
            JsonObject renameObject = JsonBodies.requireObject(renames, "'outputs'");
            for (String original : renameObject.keySet()) {
                outputs.put(original, JsonBodies.requireString(renameObject, original));
            }
        }
        BoundedRun run = runtime.startBoundedRun(name, fromMs, toMs, outputs);
        return Response.accepted(run(run))
                .location(uri.getBaseUriBuilder().path("v3/clusters").path(clusterId).path("jobs").path(name)
                        .path("runs").path(run.id()).build())
                .build();
    }

    @RequiresAcl(value = AclOperation.DESCRIBE, on = AclResourceType.CLUSTER)
    @GET
    @Path("{job}/runs/{run}")
    @Operation(summary = "A bounded run's state and progress: records read of the range's total, records written")
    public JsonObject boundedRun(@PathParam("clusterId") String clusterId, @PathParam("job") String name,
                                 @PathParam("run") String runId) {
        cluster.require(clusterId);
        return run(runtime.boundedRun(name, runId));
    }

    private static long timestamp(JsonObject request, String member, long missing) {
        JsonValue value = request.get(member);
        if (value == null) {
            return missing;
        }
        if (!(value instanceof JsonNumber number) || !number.isIntegral() || number.longValue() < 0) {
            throw new BadRequest("'" + member + "' must be epoch milliseconds (an integer >= 0)");
        }
        return number.longValue();
    }

    private static JsonObject run(BoundedRun run) {
        JsonObjectBuilder outputs = Json.createObjectBuilder();
        run.renamedOutputs().forEach(outputs::add);
        JsonObjectBuilder json = Json.createObjectBuilder()
                .add("kind", "StreamJobBoundedRun")
                .add("run_id", run.id())
                .add("job_name", run.jobName())
                .add("state", run.state().name())
                .add("from_timestamp", run.fromMs())
                .add("to_timestamp", run.toMs())
                .add("outputs", outputs)
                .add("records_read", run.recordsRead())
                .add("records_total", run.recordsTotal())
                .add("records_written", run.recordsWritten());
        if (run.error() != null) {
            json.add("error", run.error());
        }
        return json.build();
    }

    private JsonObjectBuilder summary(JobStatus job) {
        JsonArrayBuilder sources = Json.createArrayBuilder();
        job.sourceTopics().forEach(sources::add);
        JsonArrayBuilder sinks = Json.createArrayBuilder();
        job.sinkTopics().forEach(sinks::add);
        JsonObjectBuilder json = Json.createObjectBuilder()
                .add("kind", "StreamJob")
                .add("job_name", job.name())
                .add("application", job.application())
                .add("state", job.state().name())
                .add("consumer_group_id", job.groupId())
                .add("workers", job.workers())
                .add("trigger", job.trigger())
                .add("source_topics", sources)
                .add("sink_topics", sinks)
                .add("records_consumed", job.recordsConsumed())
                .add("records_in", job.recordsIn())
                .add("records_out", job.recordsOut())
                .add("late_records", job.lateRecords())
                .add("total_lag", lag(job))
                .add("failures", job.failures())
                .add("dead_lettered_records", job.deadLettered());
        if (job.lastError() != null) {
            json.add("last_error", job.lastError()).add("last_error_at", job.lastErrorAt().toString());
        }
        return json;
    }

    private JsonObject detail(JobStatus job) {
        JsonArrayBuilder tasks = Json.createArrayBuilder();
        for (JobStatus.TaskStatus task : job.tasks()) {
            JsonObjectBuilder json = Json.createObjectBuilder()
                    .add("stage", task.stage())
                    .add("partition_id", task.partition())
                    .add("records_in", task.recordsIn())
                    .add("records_out", task.recordsOut())
                    .add("late_records", task.lateRecords());
            if (task.watermarkMs() == Long.MIN_VALUE) {
                json.addNull("watermark_ms");
            } else {
                json.add("watermark_ms", task.watermarkMs());
            }
            tasks.add(json);
        }
        return summary(job).add("plan", job.plan()).add("tasks", tasks).build();
    }

    /** The job group's lag over all its inputs; 0 before its first commit. */
    private long lag(JobStatus job) {
        try {
            return groups.describe(job.groupId()).totalLag();
        } catch (HearthConnectionException e) {
            if (e.error() == HearthError.GROUP_NOT_FOUND) {
                return 0;
            }
            throw e;
        }
    }
}
