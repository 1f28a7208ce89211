package dev.hearth.security.control;

/**
 * The Kafka ACL operations that Hearth's HTTP API asks for, spelled as Kafka's {@code AclOperation} constants so
 * that one ACL decides a request over Kafka and over HTTP alike.
 */
public enum AclOperation {
    READ, WRITE, CREATE, DELETE, ALTER, DESCRIBE, ALTER_CONFIGS, DESCRIBE_CONFIGS
}
