package com.example.payments;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import jakarta.annotation.Resource;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.resource.ResourceException;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.hearth.connector.api.HearthConnection;
import dev.hearth.connector.api.HearthConnectionFactory;
import dev.hearth.connector.api.ProduceReceipt;

/**
 * {@code POST /api/payments/{id}/{amountCents}} records a payment and sends it to topic {@code payments} in one JTA
 * transaction: both happen, or (a rejected payment, any failure) neither. {@code GET /api/payments/ledger} says what
 * the ledger booked.
 */
@Path("payments")
@Produces(MediaType.APPLICATION_JSON)
public class PaymentsResource {

    /** Hearth's connection factory, bound by Hearth for every application on the server. */
    @Resource(lookup = "java:global/hearth/ConnectionFactory")
    HearthConnectionFactory factory;

    @PersistenceContext(unitName = "payments")
    EntityManager entityManager;

    @POST
    @Path("{id}/{amountCents}")
    @Transactional
    public JsonObject pay(@PathParam("id") String id, @PathParam("amountCents") long amountCents)
            throws ResourceException {
        entityManager.persist(new Payment(id, amountCents));
        try (HearthConnection connection = factory.getConnection()) {
            ProduceReceipt receipt = connection.send("payments", id.getBytes(StandardCharsets.UTF_8),
                    Long.toString(amountCents).getBytes(StandardCharsets.UTF_8), Map.of());
            if (amountCents <= 0) {
                // After the send: the transaction rolls back, and the record is never delivered.
                throw new BadRequestException("amountCents must be positive, was " + amountCents);
            }
            return Json.createObjectBuilder().add("id", id).add("partition", receipt.partition())
                    .add("offset", receipt.offset()).build();
        }
    }

    @GET
    @Path("ledger")
    public JsonObject ledger() {
        Object[] totals = (Object[]) entityManager.createNativeQuery(
                "SELECT COUNT(*), COALESCE(SUM(amount_cents), 0) FROM example_ledger_entry").getSingleResult();
        long payments = entityManager.createQuery("SELECT COUNT(p) FROM Payment p", Long.class).getSingleResult();
        return Json.createObjectBuilder().add("entries", ((Number) totals[0]).longValue())
                .add("amountCents", ((Number) totals[1]).longValue()).add("payments", payments).build();
    }
}
