package dev.hearth.platform.rest;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** Hearth's HTTP API root. Paths below follow Confluent REST Proxy v3 where it fits. */
@ApplicationPath("/api")
public class HearthApi extends Application {
}
