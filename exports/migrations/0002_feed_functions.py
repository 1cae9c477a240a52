"""The change feed's fixed SQL: the transaction-number sequence and stamping at commit.

Versions are written under a batch number during a transaction. The first capture in a transaction opens the batch
and inserts a row into exports_opentransaction, whose DEFERRABLE INITIALLY DEFERRED trigger runs at COMMIT: it
takes one advisory lock, draws the next txid and records (batch, txid) in exports_feedtransaction (one row, however
many versions). The lock is held only from stamping to the end of the commit, so txids grow in commit order (a
reader never sees txid N+1 before N) without serialising whole transactions: a long bulk import blocks no
officer's edit.
"""

from django.db import migrations

FORWARD = r"""
CREATE SEQUENCE IF NOT EXISTS exports_txid_seq;
CREATE SEQUENCE IF NOT EXISTS exports_batch_seq;

-- The batch of the current transaction, opened on first use (a transaction-local setting remembers it).
CREATE OR REPLACE FUNCTION exports_open_batch() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  b text := coalesce(current_setting('exports.batch', true), '');
BEGIN
  IF b = '' THEN
    b := nextval('exports_batch_seq')::text;
    INSERT INTO exports_opentransaction (batch) VALUES (b::bigint);
    PERFORM set_config('exports.batch', b, true);
  END IF;
  RETURN b::bigint;
END $$;

-- Give a batch its txid, once; a batch without versions gets none.
CREATE OR REPLACE FUNCTION exports_stamp_batch(b bigint) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  t bigint;
BEGIN
  DELETE FROM exports_opentransaction WHERE batch = b;
  SELECT txid INTO t FROM exports_feedtransaction WHERE batch = b;
  IF t IS NOT NULL OR NOT EXISTS (SELECT 1 FROM exports_featureversion WHERE batch = b) THEN
    RETURN t;
  END IF;
  PERFORM pg_advisory_xact_lock(74012023);
  t := nextval('exports_txid_seq');
  INSERT INTO exports_feedtransaction (batch, txid, committed_at) VALUES (b, t, clock_timestamp());
  RETURN t;
END $$;

-- Close the current batch now (a commit point for the feed inside a longer database transaction).
CREATE OR REPLACE FUNCTION exports_stamp() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  b text := coalesce(current_setting('exports.batch', true), '');
BEGIN
  PERFORM set_config('exports.batch', '', true);
  IF b = '' THEN
    RETURN NULL;
  END IF;
  RETURN exports_stamp_batch(b::bigint);
END $$;

CREATE OR REPLACE FUNCTION exports_stamp_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM exports_stamp_batch(NEW.batch);
  RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS exports_stamp_at_commit ON exports_opentransaction;
CREATE CONSTRAINT TRIGGER exports_stamp_at_commit AFTER INSERT ON exports_opentransaction
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION exports_stamp_at_commit();
"""

BACKWARD = r"""
DROP TRIGGER IF EXISTS exports_stamp_at_commit ON exports_opentransaction;
DROP FUNCTION IF EXISTS exports_stamp_at_commit();
DROP FUNCTION IF EXISTS exports_stamp();
DROP FUNCTION IF EXISTS exports_stamp_batch(bigint);
DROP FUNCTION IF EXISTS exports_open_batch();
DROP SEQUENCE IF EXISTS exports_batch_seq;
DROP SEQUENCE IF EXISTS exports_txid_seq;
"""


class Migration(migrations.Migration):
    dependencies = [("exports", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
