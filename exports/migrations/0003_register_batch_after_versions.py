"""Register a transaction's batch for stamping only once it holds versions.

The stamping trigger is DEFERRABLE INITIALLY DEFERRED, but a transaction that runs SET CONSTRAINTS ALL IMMEDIATE
(a bulk loader that rebuilds indexes does) fires it at once. Registered before its versions were written, such a
batch was stamped while still empty and never again, and its versions stayed invisible. Now the capture writes
the versions first and registers the batch after: stamped at once it takes the advisory lock until its commit,
so txids still follow commit order.
"""

from django.db import migrations

FORWARD = r"""
CREATE OR REPLACE FUNCTION exports_batch() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  b text := coalesce(current_setting('exports.batch', true), '');
BEGIN
  IF b = '' THEN
    b := nextval('exports_batch_seq')::text;
    PERFORM set_config('exports.batch', b, true);
  END IF;
  RETURN b::bigint;
END $$;

CREATE OR REPLACE FUNCTION exports_register_batch(b bigint) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(current_setting('exports.registered', true), '') <> b::text THEN
    INSERT INTO exports_opentransaction (batch) VALUES (b);
    PERFORM set_config('exports.registered', b::text, true);
  END IF;
END $$;

CREATE OR REPLACE FUNCTION exports_stamp() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  b text := coalesce(current_setting('exports.batch', true), '');
BEGIN
  PERFORM set_config('exports.batch', '', true);
  PERFORM set_config('exports.registered', '', true);
  IF b = '' THEN
    RETURN NULL;
  END IF;
  RETURN exports_stamp_batch(b::bigint);
END $$;

DROP FUNCTION IF EXISTS exports_open_batch();
"""

BACKWARD = r"""
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

DROP FUNCTION IF EXISTS exports_register_batch(bigint);
DROP FUNCTION IF EXISTS exports_batch();
"""


class Migration(migrations.Migration):
    dependencies = [("exports", "0002_feed_functions")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
