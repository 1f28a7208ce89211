package dev.hearth.api;

import java.util.Map;
import java.util.Set;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.info.Info;

import dev.hearth.activity.boundary.ActivityResource;
import dev.hearth.audit.boundary.AuditResource;
import dev.hearth.connect.boundary.ConnectErrorMapper;
import dev.hearth.connect.boundary.ConnectWorkerUnavailableMapper;
import dev.hearth.connect.boundary.ConnectorPluginsResource;
import dev.hearth.connect.boundary.ConnectorsResource;
import dev.hearth.group.boundary.ConsumerGroupsResource;
import dev.hearth.group.boundary.GroupMembersResource;
import dev.hearth.job.boundary.InvalidJobRequestMapper;
import dev.hearth.job.boundary.InvalidStoreQueryMapper;
import dev.hearth.job.boundary.JobNotFoundMapper;
import dev.hearth.job.boundary.JobsResource;
import dev.hearth.job.boundary.StoreKeyNotFoundMapper;
import dev.hearth.job.boundary.StoreNotFoundMapper;
import dev.hearth.job.boundary.StoreUnavailableMapper;
import dev.hearth.platform.boundary.ClusterResource;
import dev.hearth.platform.metrics.HttpRequestTimer;
import dev.hearth.platform.rest.HearthErrorMapper;
import dev.hearth.platform.rest.NumericParameters;
import dev.hearth.platform.rest.RequestBodyGuard;
import dev.hearth.platform.rest.RequestLimits;
import dev.hearth.platform.rest.UnexpectedErrorMapper;
import dev.hearth.platform.rest.WebApplicationErrorMapper;
import dev.hearth.record.boundary.RecordsResource;
import dev.hearth.security.boundary.AclsResource;
import dev.hearth.security.boundary.ApiAuthorization;
import dev.hearth.security.boundary.UsersResource;
import dev.hearth.topic.boundary.TopicConfigsResource;
import dev.hearth.topic.boundary.TopicPartitionsResource;
import dev.hearth.topic.boundary.TopicsResource;

/**
 * Hearth's HTTP API root and what it is made of. Paths below follow Confluent REST Proxy v3 where it fits; Kafka
 * Connect's own under {@code /api/connect}. The document's schemas, the {@code Problem} of every error included, are
 * added by {@code ApiDocument}: Payara writes {@code multipleOf: 0} (invalid OpenAPI) for every
 * {@code @SchemaProperty} of an annotated schema.
 *
 * <p>The resources and providers are listed ({@link #CLASSES}), not found by the container's scan of the WAR:
 * WEB-INF/lib holds Kafka Connect's runtime, whose own JAX-RS resources and providers (for its Jetty server, injected
 * by HK2) the scan would deploy here too, and CDI then refuses the application. Listing them also tells Payara's
 * OpenAPI which classes are resources (with only some listed, it fails on the annotations of the others).
 * {@code HearthApiTest} checks that the list holds every {@code @Path} and {@code @Provider} class of Hearth.
 * This package depends on every component's boundary and nothing depends on it.
 */
@ApplicationPath("/api")
@OpenAPIDefinition(
        info = @Info(title = "Hearth", version = "0.1.0",
                description = "A Kafka-compatible log: topics, records and consumer groups"))
public class HearthApi extends Application {

    /** Every JAX-RS resource and provider of Hearth. */
    static final Set<Class<?>> CLASSES = Set.of(
            ActivityResource.class,
            AuditResource.class,
            ConnectErrorMapper.class,
            ConnectWorkerUnavailableMapper.class,
            ConnectorPluginsResource.class,
            ConnectorsResource.class,
            ConsumerGroupsResource.class,
            GroupMembersResource.class,
            InvalidJobRequestMapper.class,
            InvalidStoreQueryMapper.class,
            JobNotFoundMapper.class,
            JobsResource.class,
            StoreKeyNotFoundMapper.class,
            StoreNotFoundMapper.class,
            StoreUnavailableMapper.class,
            ClusterResource.class,
            HttpRequestTimer.class,
            HearthErrorMapper.class,
            NumericParameters.class,
            RequestBodyGuard.class,
            RequestLimits.class,
            UnexpectedErrorMapper.class,
            WebApplicationErrorMapper.class,
            RecordsResource.class,
            AclsResource.class,
            ApiAuthorization.class,
            UsersResource.class,
            TopicConfigsResource.class,
            TopicPartitionsResource.class,
            TopicsResource.class);

    @Override
    public Set<Class<?>> getClasses() {
        return CLASSES;
    }

    /** Jersey's generated WADL (answered to OPTIONS) would publish Java method names and the Jersey version. */
    @Override
    public Map<String, Object> getProperties() {
        return Map.of("jersey.config.server.wadl.disableWadl", true);
    }
}
