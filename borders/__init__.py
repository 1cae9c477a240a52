"""Boundary lines (界线), their markers (界桩) and joint inspections (界线联检): the services, API, pages, reports'
views, layers, admin and demo that check roles and scopes and write the audit log.

The models stay in ``boundaries`` (with their tables and migrations), which sits below accounts and audit; this app
sits with the other domain apps above them. Its pages keep the addresses under /boundaries/ (config/urls.py).
The areas' admin is here too: it scopes by role and writes the audit log.
"""
