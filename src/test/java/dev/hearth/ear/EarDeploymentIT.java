package dev.hearth.ear;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URI;
import java.net.URL;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.hearth.platform.RestClient;
import dev.hearth.platform.RestClient.Reply;

/**
 * The unchanged hearth.ear on a full Payara Server 6: the RAR module hosts the engine, the EJB module reaches
 * it through the connection factory that application.xml binds to {@code #hearth-connector}, and the web
 * module serves the API at the root context, to the user that arquillian.xml configures through
 * {@code serverSystemProperties}.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class EarDeploymentIT {

    @ArquillianResource
    URL base;

    @Deployment(testable = false)
    static EnterpriseArchive hearthEar() {
        return ShrinkWrap.createFromZipFile(EnterpriseArchive.class, new File(System.getProperty("hearth.ear")));
    }

    @Test
    void earServesTopicsAndRecords() throws Exception {
        RestClient rest = new RestClient(URI.create(base.toURI().resolve("/").toString()));
        String topic = "ear-" + System.nanoTime();
        Reply created = rest.post(RestClient.CLUSTER + "/topics", Json.createObjectBuilder()
                .add("topic_name", topic).add("partitions_count", 2).build());
        assertEquals(201, created.status(), "topic creation through the EAR should answer 201: " + created);

        Reply produced = rest.post(RestClient.CLUSTER + "/topics/" + topic + "/records", Json.createArrayBuilder()
                .add(Json.createObjectBuilder().add("partition_id", 1)
                        .add("value", Json.createObjectBuilder().add("type", "STRING").add("data", "from the EAR")))
                .build());
        assertEquals(200, produced.status(), "produce through the EAR should succeed: " + produced);
        JsonObject receipt = ((JsonArray) produced.json()).getJsonObject(0);
        assertEquals(1, receipt.getInt("partition_id"), "the explicit partition is honoured");

        Reply read = rest.get(RestClient.CLUSTER + "/topics/" + topic + "/partitions/1/records?offset=0");
        assertEquals(200, read.status(), "reading through the EAR should succeed: " + read);
        JsonArray data = read.object().getJsonArray("data");
        assertEquals(1, data.size(), "exactly the one produced record is there");
        assertEquals("ZnJvbSB0aGUgRUFS", data.getJsonObject(0).getJsonObject("value").getString("data"),
                "the value reads back as sent (base64 of 'from the EAR')");

        Reply anonymous = RestClient.anonymous(rest.base()).get(RestClient.CLUSTER + "/topics");
        assertEquals(401, anonymous.status(), "the EAR's API needs credentials too: " + anonymous);

        Reply ready = rest.get("/health/ready");
        assertTrue(ready.body().contains("hearth-engine") && ready.status() == 200,
                "readiness reports the engine UP on Payara Server: " + ready);
    }
}
