package dev.hearth.platform.rest;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

/**
 * Documents, on every operation of {@code /openapi}, that 4XX and 5XX answers are {@link Problem}s: an
 * {@code application/problem+json} body of the {@code Problem} schema of {@link ApiBodies}. A filter
 * rather than {@code @APIResponse} on the resources, because Payara drops the success response it derives
 * from a method's signature as soon as any response is annotated. Applied by {@link ApiDocument}, the filter
 * {@code mp.openapi.filter} names; stateless, so thread-safe.
 */
public class ProblemResponses implements OASFilter {

    @Override
    public Operation filterOperation(Operation operation) {
        if (operation.getResponses() != null) {
            addIfAbsent(operation, "4XX", "A client error, as an RFC 9457 problem");
            addIfAbsent(operation, "5XX", "A server error, as an RFC 9457 problem");
        }
        return operation;
    }

    private static void addIfAbsent(Operation operation, String code, String description) {
        if (!operation.getResponses().hasAPIResponse(code)) {
            MediaType problem = OASFactory.createMediaType()
                    .schema(OASFactory.createSchema().ref("Problem"));
            APIResponse response = OASFactory.createAPIResponse()
                    .description(description)
                    .content(OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE, problem));
            operation.getResponses().addAPIResponse(code, response);
        }
    }
}
