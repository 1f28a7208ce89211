package dev.hearth.platform.userapp;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;

/**
 * A user's application that fails to deploy (UserDeploymentIT): its start-up bean throws, so Payara rolls the
 * application back while Payara Micro keeps running and still counts it among the "Deployed n archive(s)".
 */
@Startup
@Singleton
public class FailingStartupBean {

    @PostConstruct
    void start() {
        throw new IllegalStateException("UserDeploymentIT: this application fails to start on purpose");
    }
}
