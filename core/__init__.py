"""Libraries the apps share that are neither geospatial (gis) nor an app: database connections, environment
variables, errors as HTTP responses, the client's address. Not an app; imports no app and no ``config``
(settings through django.conf only)."""
