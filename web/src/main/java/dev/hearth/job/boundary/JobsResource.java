package dev.hearth.job.boundary;

import java.net.URI;
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
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.hearth.connector.api.HearthConnectionException;
import dev.hearth.connector.api.HearthError;
import dev.hearth.group.boundary.GroupAdmin;
import dev.hearth.job.control.BoundedRun;
import dev.hearth.job.control.JobStatus;
import dev.hearth.job.control.QueryCodec;
import dev.hearth.job.control.QueryableStore;
import dev.hearth.job.control.StoreAnswer;
import dev.hearth.job.control.StoreQueries;
import dev.hearth.platform.rest.BadRequest;
import dev.hearth.platform.rest.ClusterPath;
import dev.hearth.platform.rest.JsonBodies;
import dev.hearth.security.boundary.RequiresAcl;
import dev.hearth.security.control.AclOperation;
import dev.hearth.security.control.AclResourceType;

/**
 * Stream jobs: list, status with the physical plan and per-task figures, pause, resume, reset (reprocess from
 * the earliest offsets or a timestamp), bounded runs (the same dataflow as a batch job over a time range) and
 * interactive queries of the jobs' state stores ({@link StoreQueries}: keys in the URL in their store's
 * {@link QueryCodec.KeyFormat}, values in JSON, a 307 to the instance holding a partition held elsewhere).
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
    @Operation(operationId = "listJobs",
            summary = "Lists the deployed stream jobs with their state and throughput counters")
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
    @Operation(operationId = "getJob",
            summary = "Describes a job: state, lag, plan (explain) and per-task records and watermarks")
    public JsonObject describe(@PathParam("clusterId") String clusterId, @PathParam("job") String name) {
        cluster.require(clusterId);
        return detail(runtime.status(name));
    }

    @RequiresAcl(value = AclOperation.ALTER, on = AclResourceType.CLUSTER)
    @POST
    @Path("{job}:pause")
    @Operation(operationId = "pauseJob",
            summary = "Pauses a job: it keeps its partitions and state and consumes nothing until resumed")
    public JsonObject pause(@PathParam("clusterId") String clusterId, @PathParam("job") String name) {
        cluster.require(clusterId);
        return detail(runtime.pause(name));
    }

    @RequiresAcl(value = AclOperation.ALTER, on = AclResourceType.CLUSTER)
    @POST
    @Path("{job}:resume")
    @Operation(operationId = "resumeJob", summary = "Resumes a paused job")
    public JsonObject resume(@PathParam("clusterId") String clusterId, @PathParam("job") String name) {
        cluster.require(clusterId);
        return detail(runtime.resume(name));
    }

    @RequiresAcl(value = AclOperation.ALTER, on = AclResourceType.CLUSTER)
    @POST
    @Path("{job}:reset")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "resetJob",
            summary = "Reprocesses a job from {\"to\": \"earliest\"} or {\"to\": \"timestamp\", \"timestamp\": ms}",
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
    @Operation(operationId = "runJobBounded",
            summary = "Runs the job once, as a batch job, over its source records with timestamps in "
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
    @Operation(operationId = "getJobBoundedRun",
            summary = "A bounded run's state and progress: records read of the range's total, records written")
    public JsonObject boundedRun(@PathParam("clusterId") String clusterId, @PathParam("job") String name,
                                 @PathParam("run") String runId) {
        cluster.require(clusterId);
        return run(runtime.boundedRun(name, runId));
    }

    @RequiresAcl(value = AclOperation.DESCRIBE, on = AclResourceType.CLUSTER)
    @GET
    @Path("{job}/stores")
    @Operation(operationId = "listJobStores",
            summary = "Lists a job's queryable state stores: name, kind and how their keys are written in URLs")
    public JsonObject stores(@PathParam("clusterId") String clusterId, @PathParam("job") String name) {
        cluster.require(clusterId);
        JsonArrayBuilder data = Json.createArrayBuilder();
        for (QueryableStore store : runtime.queries(name).stores()) {
            JsonObjectBuilder json = Json.createObjectBuilder()
                    .add("store_name", store.name())
                    .add("store_kind", kind(store.kind()))
                    .add("key_format", QueryCodec.KeyFormat.of(store.keySerde()).name().toLowerCase(java.util.Locale.ROOT));
            if (store.kind() == QueryableStore.Kind.WINDOW) {
                json.add("window_size_ms", store.windowSizeMs());
            }
            data.add(json);
        }
        return Json.createObjectBuilder().add("kind", "StreamJobStoreList").add("job_name", name).add("data", data)
                .build();
    }

    @RequiresAcl(value = AclOperation.DESCRIBE, on = AclResourceType.CLUSTER)
    @GET
    @Path("{job}/stores/{store}/keys")
    @Operation(operationId = "scanJobStore",
            summary = "A page of a key-value store, in ascending order of the key bytes",
            description = "Reads every partition this instance holds (or only 'partition'); partitions held by "
                    + "other instances are listed with their URL. Pass 'next_cursor' back as 'cursor' for the next "
                    + "page; no next_cursor: the last page.")
    public Response scan(@PathParam("clusterId") String clusterId, @PathParam("job") String name,
                         @PathParam("store") String storeName,
                         @Parameter(description = "Rows per page, 1..1000") @QueryParam("limit") @DefaultValue("100")
                         int limit,
                         @Parameter(description = "next_cursor of the previous page") @QueryParam("cursor")
                         String cursor,
                         @Parameter(description = "Read this partition only (redirected to its owner)")
                         @QueryParam("partition") @DefaultValue("-1") int partition,
                         @Context UriInfo uri) {
        cluster.require(clusterId);
        StoreAnswer answer = runtime.queries(name).scan(storeName, partition, limit, cursor);
        if (answer instanceof StoreAnswer.Elsewhere elsewhere) {
            return redirect(elsewhere, uri);
        }
        StoreAnswer.Rows rows = (StoreAnswer.Rows) answer;
        JsonArrayBuilder data = Json.createArrayBuilder();
        for (StoreAnswer.Row row : rows.rows()) {
            data.add(value(Json.createObjectBuilder().add("key", row.key()), row.value()));
        }
        JsonArrayBuilder partitions = Json.createArrayBuilder();
        rows.partitions().forEach(partitions::add);
        JsonArrayBuilder elsewhere = Json.createArrayBuilder();
        rows.partitionsElsewhere().forEach((p, url) -> elsewhere.add(Json.createObjectBuilder()
                .add("partition_id", p).add("owner_url", url)));
        JsonObjectBuilder json = Json.createObjectBuilder()
                .add("kind", "StreamJobStoreEntryList")
                .add("job_name", name)
                .add("store_name", storeName)
                .add("data", data)
                .add("partitions", partitions)
                .add("partitions_elsewhere", elsewhere);
        return Response.ok(next(json, rows.nextCursor(), uri).build()).build();
    }

    @RequiresAcl(value = AclOperation.DESCRIBE, on = AclResourceType.CLUSTER)
    @GET
    @Path("{job}/stores/{store}/keys/{key}")
    @Operation(operationId = "getJobStoreKey",
            summary = "A key's value (key-value store) or its windows (window and session stores)",
            description = "The key is written in its store's key_format (see GET .../stores), or as base64url of "
                    + "its serialized bytes with key_encoding=base64. Window stores: the open windows with "
                    + "from_ms <= window_start_ms <= to_ms; session stores: the sessions overlapping "
                    + "[from_ms, to_ms]; ascending, paged with limit and cursor. Answers 307 to the instance that "
                    + "holds the key's partition when it is not this one.")
    public Response key(@PathParam("clusterId") String clusterId, @PathParam("job") String name,
                        @PathParam("store") String storeName, @PathParam("key") String key,
                        @Parameter(description = "'base64': the key is base64url of its bytes")
                        @QueryParam("key_encoding") String keyEncoding,
                        @QueryParam("from_ms") Long fromMs, @QueryParam("to_ms") Long toMs,
                        @Parameter(description = "Windows per page, 1..1000") @QueryParam("limit")
                        @DefaultValue("100") int limit,
                        @QueryParam("cursor") String cursor, @Context UriInfo uri) {
        cluster.require(clusterId);
        boolean base64 = keyEncoding != null && !keyEncoding.equals("text");
        if (base64 && !keyEncoding.equals("base64")) {
            throw new BadRequest("'key_encoding' must be \"text\" (the store's key format) or \"base64\", got \""
                    + keyEncoding + "\"");
        }
        StoreQueries queries = runtime.queries(name);
        QueryableStore store = queries.store(storeName);
        StoreAnswer answer;
        if (store.kind() == QueryableStore.Kind.KEY_VALUE) {
            if (fromMs != null || toMs != null || cursor != null) {
                throw new BadRequest("store '" + storeName + "' is a key-value store: from_ms, to_ms and cursor "
                        + "apply to window and session stores");
            }
            answer = queries.get(storeName, key, base64);
        } else {
            answer = queries.windows(storeName, key, base64, fromMs == null ? Long.MIN_VALUE : fromMs,
                    toMs == null ? Long.MAX_VALUE : toMs, limit, cursor);
        }
        if (answer instanceof StoreAnswer.Elsewhere elsewhere) {
            return redirect(elsewhere, uri);
        }
        StoreAnswer.Rows rows = (StoreAnswer.Rows) answer;
        JsonObjectBuilder json = Json.createObjectBuilder()
                .add("job_name", name)
                .add("store_name", storeName)
                .add("partition_id", rows.partitions().get(0));
        if (store.kind() == QueryableStore.Kind.KEY_VALUE) {
            StoreAnswer.Row row = rows.rows().get(0);
            return Response.ok(value(json.add("kind", "StreamJobStoreEntry").add("key", row.key()), row.value())
                    .build()).build();
        }
        JsonArrayBuilder data = Json.createArrayBuilder();
        for (StoreAnswer.Row row : rows.rows()) {
            data.add(value(Json.createObjectBuilder().add("window_start_ms", row.windowStartMs())
                    .add("window_end_ms", row.windowEndMs()), row.value()));
        }
        json.add("kind", "StreamJobStoreWindowList").add("key", key).add("data", data);
        return Response.ok(next(json, rows.nextCursor(), uri).build()).build();
    }

    private static String kind(QueryableStore.Kind kind) {
        return switch (kind) {
            case KEY_VALUE -> "key-value";
            case WINDOW -> "window";
            case SESSION -> "session";
        };
    }

    /** Adds {@code value}, and {@code "value_encoding": "base64"} when it is the serialized bytes. */
    private static JsonObjectBuilder value(JsonObjectBuilder json, QueryCodec.Value value) {
        json.add("value", value.json());
        if (value.base64()) {
            json.add("value_encoding", "base64");
        }
        return json;
    }

    /** Adds the cursor of the next page and its URL, or null for the last page. */
    private static JsonObjectBuilder next(JsonObjectBuilder json, String cursor, UriInfo uri) {
        if (cursor == null) {
            return json.addNull("next_cursor").addNull("next");
        }
        return json.add("next_cursor", cursor)
                .add("next", uri.getRequestUriBuilder().replaceQueryParam("cursor", cursor).build().toString());
    }

    /**
     * 307 to the same request on the instance holding the partition: its advertised base URL plus this request's
     * path below the base and query.
     */
    private static Response redirect(StoreAnswer.Elsewhere elsewhere, UriInfo uri) {
        URI relative = uri.getBaseUri().relativize(uri.getRequestUri());
        URI location = URI.create(elsewhere.ownerUrl()).resolve(relative);
        return Response.temporaryRedirect(location).header("Hearth-Partition", elsewhere.partition()).build();
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
