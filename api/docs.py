"""The API's documentation page, rendered on the server from the OpenAPI document: no
JavaScript and nothing from a CDN."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

_ENV = Environment(loader=PackageLoader("api", "templates"), autoescape=select_autoescape())


def docs_page(openapi: dict[str, Any]) -> str:
    operations = []
    for path, methods in sorted(openapi.get("paths", {}).items()):
        for method, op in methods.items():
            params = [
                {
                    "name": p.get("name"),
                    "where": p.get("in"),
                    "required": p.get("required", False),
                }
                for p in op.get("parameters", [])
            ]
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
            ref = body.get("schema", {}).get("$ref", "")
            operations.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "params": params,
                    "body": ref.rsplit("/", 1)[-1] if ref else "",
                }
            )
    schemas = openapi.get("components", {}).get("schemas", {})
    return _ENV.get_template("docs.html").render(
        title=openapi.get("info", {}).get("title", "Netra"), operations=operations, schemas=schemas
    )
