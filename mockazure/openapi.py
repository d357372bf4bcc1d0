"""mockazure's own OpenAPI document, with the request bodies FastAPI cannot see.

Inference routes parse their bodies in a dependency (`inference_call`: Azure's check order needs
the raw JSON first), so FastAPI knows no request body for them. A route says which model it
parses with `openapi_extra={"x-body-model": "ChatCompletionRequest"}` (optionally
`"x-body-media-type": "multipart/form-data"` and `"x-operation": "<registry name>"`); this hook
replaces the marker with the model's JSON Schema (its `$defs` moved into `components`), the
`api-version` query parameter (the versions that know the operation), the `api-key` header
scheme and the Azure error responses.
"""

import importlib
import pkgutil
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel

import mockazure.protocol
from mockazure.errors import ErrorEnvelope
from mockazure.versions import ALL_API_VERSIONS, get_api_version

REF = "#/components/schemas/{model}"
ERRORS = {"400": "Bad request", "401": "Unauthorized", "404": "Not found", "413": "Too large"}
ERRORS |= {"429": "Too many requests", "500": "Server error"}


def protocol_models() -> dict[str, type[BaseModel]]:
    """Every pydantic model in `mockazure.protocol.*`, by class name."""
    found: dict[str, type[BaseModel]] = {}
    for info in pkgutil.iter_modules(mockazure.protocol.__path__):
        module = importlib.import_module(f"mockazure.protocol.{info.name}")
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, BaseModel):
                found.setdefault(value.__name__, value)
    return found


def _add_schema(components: dict[str, Any], model: type[BaseModel]) -> dict[str, str]:
    schema = model.model_json_schema(ref_template=REF)
    for name, definition in schema.pop("$defs", {}).items():
        components.setdefault(name, definition)
    components[model.__name__] = schema
    return {"$ref": REF.format(model=model.__name__)}


def _api_version_parameter(operation: str | None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    if operation is not None:
        known = [get_api_version(name) for name in ALL_API_VERSIONS]
        schema["enum"] = [v.name for v in known if v is not None and v.supports(operation)]  # type: ignore[arg-type]
    return {"name": "api-version", "in": "query", "required": True, "schema": schema}


def _family_versions(path: str, versions: dict[str, list[str]]) -> dict[str, Any]:
    """`x-api-versions` ({"dated": [...], "v1": [...]}): the versions of an operation the dated
    registry does not hold (the Responses API); optional on a v1 path."""
    family = "v1" if path.startswith("/openai/v1/") else "dated"
    schema = {"type": "string", "enum": versions[family]}
    return {"name": "api-version", "in": "query", "required": family == "dated", "schema": schema}


def _complete(
    path: str, operation: dict[str, Any], components: dict[str, Any], models: dict[str, Any]
) -> None:
    model = models[operation.pop("x-body-model")]
    media_type = operation.pop("x-body-media-type", "application/json")
    body_schema = _add_schema(components, model)
    operation["requestBody"] = {"required": True, "content": {media_type: {"schema": body_schema}}}
    versions = operation.pop("x-api-versions", None)
    name = operation.pop("x-operation", None)
    operation.setdefault("parameters", []).append(
        _family_versions(path, versions) if versions else _api_version_parameter(name)
    )
    operation["security"] = [{"api-key": []}]


def _document_errors(operation: dict[str, Any]) -> None:
    """Every route answers failures with the Azure error body (errors.py), never FastAPI's 422."""
    error = {"application/json": {"schema": {"$ref": REF.format(model="ErrorEnvelope")}}}
    responses = operation.setdefault("responses", {})
    for status, description in ERRORS.items():
        responses.setdefault(status, {"description": description, "content": error})
    responses.pop("422", None)


def build_openapi(app: FastAPI) -> dict[str, Any]:
    schema = get_openapi(
        title=app.title,
        version=app.version,
        openapi_version=app.openapi_version,
        description=app.description,
        routes=app.routes,
        tags=app.openapi_tags,
        servers=app.servers,
    )
    components = schema.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    security = components.setdefault("securitySchemes", {})
    security["api-key"] = {"type": "apiKey", "in": "header", "name": "api-key"}
    _add_schema(schemas, ErrorEnvelope)
    models = protocol_models()
    for path, methods in schema.get("paths", {}).items():
        for operation in methods.values():
            if "x-body-model" in operation:
                _complete(path, operation, schemas, models)
            _document_errors(operation)
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    return schema


def install_openapi(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = build_openapi(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
