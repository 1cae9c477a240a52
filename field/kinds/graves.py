"""Graves to check, to accept and to re-check (issue 17): adapters on the cemeteries' service interface."""

GRAVE_KINDS: tuple = ()
