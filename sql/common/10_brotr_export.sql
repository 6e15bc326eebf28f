-- brotr exporter support, both variants. Objects the exporter needs for
-- itself; the contract tables are left as they are. The staging functions
-- name the event columns, so they are in <variant>/11_event_writers.sql.

-- How far each node's changelog has been exported. Written in the same
-- transaction as the rows it covers, so a crash never loses or repeats rows.
CREATE TABLE IF NOT EXISTS brotr_export_cursor (
    node_id     TEXT    PRIMARY KEY,
    seq         BIGINT  NOT NULL,  -- last changelog sequence number exported
    updated_at  BIGINT  NOT NULL   -- unix seconds
);
