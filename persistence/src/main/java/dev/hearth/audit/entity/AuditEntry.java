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
 *
 * <p>Changes made through the Kafka protocol are recorded by the resource adapter in its {@code __hearth_audit} topic
 * and copied here ({@code KafkaAuditImport}) with the record's offset as {@link #sourceOffset()}, unique, written in
 * the same transaction as the entry: the highest one says where the copy resumes, and a record is never copied
 * twice. HTTP entries have neither a source offset nor a client address.
 */
@Entity
@Table(name = "audit_entry")
@NamedQuery(name = AuditEntry.NEWEST_FIRST, query = "SELECT e FROM AuditEntry e ORDER BY e.id DESC")
@NamedQuery(name = AuditEntry.LAST_SOURCE_OFFSET, query = "SELECT MAX(e.sourceOffset) FROM AuditEntry e")
@NamedQuery(name = AuditEntry.FOR_RESOURCE_NEWEST_FIRST,
        query = "SELECT e FROM AuditEntry e WHERE e.resourceType = :type AND e.resourceName = :name ORDER BY e.id DESC")
public class AuditEntry {

    public static final String NEWEST_FIRST = "AuditEntry.newestFirst";
    public static final String FOR_RESOURCE_NEWEST_FIRST = "AuditEntry.forResourceNewestFirst";
    public static final String LAST_SOURCE_OFFSET = "AuditEntry.lastSourceOffset";

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

    /** The Kafka client's IP address for a change made through the Kafka protocol; null for HTTP. */
    @Column(name = "client_address", length = 64)
    private String clientAddress;

    /** The offset of the {@code __hearth_audit} record this entry was copied from; null for HTTP. Unique. */
    @Column(name = "source_offset", unique = true)
    private Long sourceOffset;

    protected AuditEntry() {
    }

    /** An entry copied from the Kafka side's audit topic. */
    public static AuditEntry fromKafka(Instant occurredAt, String principal, String clientAddress, String action,
                                       String resourceType, String resourceName, String detail, long sourceOffset) {
        // Cut to the columns' sizes: a copied record must always fit, or the copy would stop at it for good.
        AuditEntry entry = new AuditEntry(occurredAt, cut(principal, 200), cut(action, 40), cut(resourceType, 20),
                cut(resourceName, 255), detail);
        entry.clientAddress = cut(clientAddress, 64);
        entry.sourceOffset = sourceOffset;
        return entry;
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

    private static String cut(String text, int maxLength) {
        return text == null || text.length() <= maxLength ? text : text.substring(0, maxLength);
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

    public String clientAddress() {
        return clientAddress;
    }

    public Long sourceOffset() {
        return sourceOffset;
    }
}
