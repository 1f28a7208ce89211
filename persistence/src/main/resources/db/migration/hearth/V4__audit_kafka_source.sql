-- Audit entries of changes made through the Kafka protocol (dev.hearth.audit.control.KafkaAuditImport): the client's
-- address, and the offset of the record in the connector's __hearth_audit topic the entry was copied from. The offset
-- is written in the same transaction as the entry and is unique, so a record is copied once, even across crashes or
-- two servers copying at the same time. Both are NULL for changes made over HTTP.
ALTER TABLE audit_entry ADD COLUMN client_address VARCHAR(64);
ALTER TABLE audit_entry ADD COLUMN source_offset BIGINT;
CREATE UNIQUE INDEX audit_entry_source_offset ON audit_entry (source_offset);
