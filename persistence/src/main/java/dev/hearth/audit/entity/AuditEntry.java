package dev.hearth.audit.entity;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/**
 * One administrative change made through Hearth (a topic created, configs altered, a group's offsets reset…):
 * who did it, when, to what, and what exactly changed. Written in the same transaction as nothing else: the
 * change happens in the log first, and an entry is written only for a change that succeeded. Immutable once
 * written; ids grow with time, so "newest first" is "highest id first".
 */
@Entity
@Table(name = "audit_entry")
@NamedQuery(name = AuditEntry.NEWEST_FIRST, query = "SELECT e FROM AuditEntry e ORDER BY e.id DESC")
@NamedQuery(name = AuditEntry.FOR_RESOURCE_NEWEST_FIRST,
        query = "SELECT e FROM AuditEntry e WHERE e.resourceType = :type AND e.resourceName = :name ORDER BY e.id DESC")
public class AuditEntry {

    public static final String NEWEST_FIRST = "AuditEntry.newestFirst";
    public static final String FOR_RESOURCE_NEWEST_FIRST = "AuditEntry.forResourceNewestFirst";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "occurred_at", nullable = false)
    private Instant occurredAt;

    /** The authenticated caller; {@code anonymous} when security is disabled. */
    @Column(nullable = false, length = 200)
    private String principal;

    /** What was done, e.g. {@code CREATE_TOPIC}, {@code RESET_OFFSETS}. */
    @Column(nullable = false, length = 40)
    private String action;

    /** {@code topic}, {@code group} or {@code job}. */
    @Column(name = "resource_type", nullable = false, length = 20)
    private String resourceType;

    @Column(name = "resource_name", nullable = false, length = 255)
    private String resourceName;

    /** What changed, human-readable (e.g. {@code partitions=3, retention.ms=60000}). */
    @Column(length = 4000)
    private String detail;

    protected AuditEntry() {
    }

    public AuditEntry(Instant occurredAt, String principal, String action, String resourceType, String resourceName,
                      String detail) {
        this.occurredAt = occurredAt;
        this.principal = principal;
        this.action = action;
        this.resourceType = resourceType;
        this.resourceName = resourceName;
        this.detail = detail == null || detail.length() <= 4000 ? detail : detail.substring(0, 3997) + "...";
    }

    public Long id() {
        return id;
    }

    public Instant occurredAt() {
        return occurredAt;
    }

    public String principal() {
        return principal;
    }

    public String action() {
        return action;
    }

    public String resourceType() {
        return resourceType;
    }

    public String resourceName() {
        return resourceName;
    }

    public String detail() {
        return detail;
    }
}
