package dev.hearth.record.boundary;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import dev.hearth.connector.api.HearthRecord;
import dev.hearth.connector.api.OutgoingRecord;
import dev.hearth.connector.api.ProduceReceipt;
import dev.hearth.platform.rest.BadRequest;
import dev.hearth.platform.rest.ClusterPath;
import dev.hearth.platform.rest.JsonBodies;
import dev.hearth.record.control.RecordSearch;

import dev.hearth.security.boundary.RequiresAcl;
import dev.hearth.security.control.AclOperation;
import dev.hearth.security.control.AclResourceType;
/**
 * Produce and read records over HTTP. Produce follows Confluent REST Proxy v3; reading a partition is a
 * Hearth extension (the proxy has no v3 consume).
 *
 * <p>Record data: {@code {"type": "STRING" | "JSON" | "BINARY", "data": ...}} where BINARY data is base64;
 * headers: {@code [{"name": "...", "value": "<base64>"}]}.
 */
@Path("/v3/clusters/{clusterId}/topics")
@Produces(MediaType.APPLICATION_JSON)
public class RecordsResource {

    private static final int MAX_RECORDS_PER_READ = 10_000;
    /** The most records one search may read: a few seconds of work at worst, whatever the caller asks. */
    static final int MAX_SCANNED_RECORDS_PER_SEARCH = 100_000;
    /** The most matches one search answers. */
    static final int MAX_MATCHES_PER_SEARCH = 100;

    @Inject
    RecordGateway records;

    @Inject
    ClusterPath cluster;

    /**
     * Body: one record object, or an array of them; answers one receipt, or an array in the same order. The document
     * describes the single record only (schemas ProduceRecord and ProduceReceipt) and tells of arrays in the
     * operation's description: a oneOf of an object and an array makes openapi-generator's Java client fail to
     * compile (OpenApiIT generates one).
     */
    @RequiresAcl(value = AclOperation.WRITE, on = AclResourceType.TOPIC, named = "topic")
    @Operation(operationId = "produceRecords", summary = "Appends a record to the topic",
            description = "The body is one record and the answer its receipt. The body may also be a JSON array of "
                    + "records, answered by an array of receipts in the same order; the schemas leave that form out, "
                    + "as code generators cannot make a client of a body that is either an object or an array.")
    @POST
    @Path("{topic}/records")
    @Consumes(MediaType.APPLICATION_JSON)
    public JsonValue produce(@PathParam("clusterId") String clusterId, @PathParam("topic") String topic,
                             JsonValue body) {
        cluster.require(clusterId);
        if (body == null) {
            throw new BadRequest("The request body must be a record object or an array of them");
        }
        boolean many = body.getValueType() == JsonValue.ValueType.ARRAY;
        List<JsonValue> items = many ? body.asJsonArray() : List.of(body);
        if (items.isEmpty()) {
            throw new BadRequest("The array of records is empty");
        }
        List<OutgoingRecord> outgoing = new ArrayList<>(items.size());
        for (JsonValue item : items) {
            outgoing.add(toOutgoing(JsonBodies.requireObject(item, "Each record")));
        }
        List<ProduceReceipt> receipts = records.produce(topic, outgoing);
        if (!many) {
            return toJson(clusterId, receipts.get(0));
        }
        JsonArrayBuilder array = Json.createArrayBuilder();
        receipts.forEach(receipt -> array.add(toJson(clusterId, receipt)));
        return array.build();
    }

    @RequiresAcl(value = AclOperation.READ, on = AclResourceType.TOPIC, named = "topic")
    @Operation(operationId = "readPartitionRecords")
    @GET
    @Path("{topic}/partitions/{partition}/records")
    public JsonObject read(@PathParam("clusterId") String clusterId, @PathParam("topic") String topic,
                           @PathParam("partition") int partition,
                           @QueryParam("offset") Long offset,
                           @QueryParam("timestamp") Long timestamp,
                           @QueryParam("max_records") @DefaultValue("100") int maxRecords,
                           @QueryParam("max_bytes") @DefaultValue("1048576") int maxBytes) {
        cluster.require(clusterId);
        if (maxRecords < 1 || maxRecords > MAX_RECORDS_PER_READ) {
            throw new BadRequest("max_records must be between 1 and " + MAX_RECORDS_PER_READ);
        }
        if (maxBytes < 1) {
            throw new BadRequest("max_bytes must be positive");
        }
        if ((offset == null) == (timestamp == null)) {
            throw new BadRequest("Give exactly one of 'offset' and 'timestamp'");
        }
        long start = offset != null ? offset : records.offsetForTimestamp(topic, partition, timestamp).orElse(-1);
        JsonArrayBuilder data = Json.createArrayBuilder();
        long nextOffset = start;
        if (start >= 0) {
            for (HearthRecord record : records.read(topic, partition, start, maxRecords, maxBytes)) {
                data.add(RecordJson.toJson(record));
                nextOffset = record.offset() + 1;
            }
        }
        return Json.createObjectBuilder()
                .add("topic_name", topic)
                .add("partition_id", partition)
                .add("next_offset", nextOffset)
                .add("data", data)
                .build();
    }

    /**
     * Records of {@code topic} whose key or value contains {@code text} (UTF-8 bytes, case-sensitive), from each
     * partition's start or the first record at or after {@code timestamp}: a bounded scan ({@link RecordSearch}) of
     * at most {@code max_scanned_records} records that stops at {@code max_matches}. The answer says how many records
     * were read, whether the scan reached every partition's end ({@code complete}) and where each partition's scan
     * stopped ({@code next_offsets}).
     */
    @RequiresAcl(value = AclOperation.READ, on = AclResourceType.TOPIC, named = "topic")
    @Operation(operationId = "searchTopicRecords")
    @GET
    @Path("{topic}/records:search")
    public JsonObject search(@PathParam("clusterId") String clusterId, @PathParam("topic") String topic,
                             @QueryParam("text") String text,
                             @QueryParam("partition") Integer partition,
                             @QueryParam("timestamp") Long timestamp,
                             @QueryParam("max_scanned_records") @DefaultValue("10000") int maxScannedRecords,
                             @QueryParam("max_matches") @DefaultValue("20") int maxMatches) {
        cluster.require(clusterId);
        if (text == null || text.isEmpty()) {
            throw new BadRequest("'text', the text to search keys and values for, is required");
        }
        if (maxScannedRecords < 1 || maxScannedRecords > MAX_SCANNED_RECORDS_PER_SEARCH) {
            throw new BadRequest("max_scanned_records must be between 1 and " + MAX_SCANNED_RECORDS_PER_SEARCH);
        }
        if (maxMatches < 1 || maxMatches > MAX_MATCHES_PER_SEARCH) {
            throw new BadRequest("max_matches must be between 1 and " + MAX_MATCHES_PER_SEARCH);
        }
        RecordSearch.Result result = records.search(topic, new RecordSearch(text, partition, timestamp, maxScannedRecords, maxMatches));
        JsonArrayBuilder data = Json.createArrayBuilder();
        result.matches().forEach(record -> data.add(RecordJson.toJson(record)));
        var nextOffsets = Json.createObjectBuilder();
        result.nextOffsets().forEach((p, offset) -> nextOffsets.add(String.valueOf(p), offset));
        return Json.createObjectBuilder()
                .add("topic_name", topic)
                .add("scanned_records", result.scannedRecords())
                .add("complete", result.complete())
                .add("next_offsets", nextOffsets)
                .add("data", data)
                .build();
    }

    private static OutgoingRecord toOutgoing(JsonObject record) {
        Integer partition = JsonBodies.optionalInt(record, "partition_id");
        Long timestamp = JsonBodies.optionalLong(record, "timestamp");
        Map<String, byte[]> headers = new LinkedHashMap<>();
        JsonValue headerList = record.get("headers");
        if (headerList != null && headerList != JsonValue.NULL) {
            if (headerList.getValueType() != JsonValue.ValueType.ARRAY) {
                throw new BadRequest("'headers' must be an array of {\"name\", \"value\"} objects");
            }
            for (JsonValue entry : headerList.asJsonArray()) {
                JsonObject header = JsonBodies.requireObject(entry, "Each header");
                String value = JsonBodies.optionalString(header, "value");
                headers.put(JsonBodies.requireString(header, "name"), value == null ? null : decodeBase64(value, "header value"));
            }
        }
        return new OutgoingRecord(partition, data(record, "key"),
                data(record, "value"), headers, timestamp);
    }

    private static byte[] data(JsonObject record, String member) {
        JsonValue value = record.get(member);
        if (value == null || value == JsonValue.NULL) {
            return null;
        }
        JsonObject data = JsonBodies.requireObject(value, "'" + member + "'");
        String type = JsonBodies.optionalString(data, "type");
        JsonValue content = data.get("data");
        if (content == null || content == JsonValue.NULL) {
            return null;
        }
        switch (type == null ? "JSON" : type) {
            case "JSON":
                return content.toString().getBytes(StandardCharsets.UTF_8);
            case "STRING":
                return JsonBodies.requireString(data, "data").getBytes(StandardCharsets.UTF_8);
            case "BINARY":
                return decodeBase64(JsonBodies.requireString(data, "data"), member);
            default:
                throw new BadRequest("'" + member + ".type' must be JSON, STRING or BINARY, not '" + type + "'");
        }
    }

    private static byte[] decodeBase64(String text, String what) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new BadRequest("The " + what + " is not valid base64: " + e.getMessage());
        }
    }

    private static JsonObject toJson(String clusterId, ProduceReceipt receipt) {
        return Json.createObjectBuilder()
                .add("error_code", 200)
                .add("cluster_id", clusterId)
                .add("topic_name", receipt.topic())
                .add("partition_id", receipt.partition())
                .add("offset", receipt.offset())
                .add("timestamp", receipt.timestamp())
                .build();
    }
}
