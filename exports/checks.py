"""System checks: every registered layer's changes reach the feed.

exports.E001: a layer whose change capture cannot be built (its state query does not compile).
exports.E002: a layer whose tables exist but whose capture is not installed in the database (it would miss every
change); `manage.py feed_capture --install` (or `migrate`) installs it. Both run with the database checks
(`manage.py check --database default`, `migrate`, and so every start through `make run` or the container).
"""

from __future__ import annotations

from django.core.checks import Error, Tags, register
from django.db import DatabaseError


@register(Tags.database)
def every_layer_reaches_the_feed(app_configs=None, databases=None, **kwargs):
    if not databases or "default" not in databases:
        return []
    from exports import sql
    from exports.sources import Source
    from gis.layers import exportable_layers

    try:
        if "exports_featureversion" not in sql.existing_tables():
            return []  # the feed itself is not migrated yet
    except DatabaseError:
        return []  # Django's own database checks report an unreachable database
    errors, sources = [], []
    for layer in exportable_layers():
        try:
            source = Source(layer)
            sql.state_query(source)
        except Exception as exc:
            errors.append(Error(f"change capture cannot be built for layer {layer.name}: {exc}",
                                hint="fix the layer's definition (gis.layers registry)", obj=layer.name,
                                id="exports.E001"))
            continue
        sources.append(source)
    for name in sql.missing_capture(sources):
        errors.append(Error(f"layer {name} has no change capture installed in the database: the feed misses its "
                            "changes", hint="run `manage.py feed_capture --install` (or `manage.py migrate`)",
                            obj=name, id="exports.E002"))
    return errors
