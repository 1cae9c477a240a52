"""The REST API's OpenAPI description says how it refuses: every operation's 4xx and 503 answers are the one error
shape of the product (core.errors.api_exception_handler), described once as a component."""

from __future__ import annotations

ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {
        "type": "object",
        "required": ["code", "message"],
        "properties": {
            "code": {"type": "string", "description": "What went wrong, for programs (e.g. invalid_value)."},
            "message": {"type": "string", "description": "What went wrong, in words for people."},
            "where": {"type": "object", "description": "Where in the request: a field, a row, a parameter."},
            "hint": {"type": "string", "description": "What to do about it, where there is something to do."},
        },
    }},
}
REFUSALS = {
    "4XX": "The request is refused; nothing of it was kept.",
    "503": "The database is unavailable for the moment: try again shortly.",
}


def describe_errors(result, generator, request, public):
    """A drf-spectacular postprocessing hook: the Error component, and each operation's refusals referring to it."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR
    content = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path in result.get("paths", {}).values():
        for operation in path.values():
            responses = operation.setdefault("responses", {})
            for status, description in REFUSALS.items():
                responses.setdefault(status, {"description": description, "content": content})
    return result
