"""ARM's error family: `{"error": {"code", "message", "details"?, "target"?}}` (common-types
`resource-management/v2/types.json#/definitions/ErrorResponse`, the `default` response of every
operation in cognitiveservices.json).

Codes and wording are those ARM and the Cognitive Services resource provider send (observed in
Azure CLI / SDK bug reports); where the spec is silent the message says plainly what is wrong.
"""

from typing import Any

from mockazure.errors import AzureError

ACCOUNT_TYPE = "Microsoft.CognitiveServices/accounts"


class ArmError(AzureError):
    status_code = 400
    code = "BadRequest"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        target: str | None = None,
        details: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        extra: dict[str, Any] = {}
        if target is not None:
            extra["target"] = target
        if details:
            extra["details"] = details
        super().__init__(message, code=code, headers=headers, extra=extra)


class MissingApiVersion(ArmError):
    code = "MissingApiVersionParameter"

    def __init__(self) -> None:
        super().__init__(
            "The api-version query parameter (?api-version=) is required for all requests."
        )


class InvalidApiVersion(ArmError):
    """A value that is not shaped like an api-version at all."""

    code = "InvalidApiVersionParameter"

    def __init__(self, given: str, supported: list[str]) -> None:
        super().__init__(
            f"The api-version '{given}' is invalid. The supported versions are "
            f"'{','.join(supported)}'."
        )


class NoRegisteredProviderFound(ArmError):
    """A well-formed api-version the resource type does not have (ARM answers before the RP)."""

    code = "NoRegisteredProviderFound"

    def __init__(self, given: str, location: str, resource_type: str, supported: list[str]) -> None:
        super().__init__(
            f"No registered resource provider found for location '{location}' and API version "
            f"'{given}' for type '{resource_type}'. The supported api-versions are "
            f"'{', '.join(supported)}'. The supported locations are '{location}'."
        )


class AuthenticationFailed(ArmError):
    status_code = 401
    code = "AuthenticationFailed"
    MISSING = "Authentication failed. The 'Authorization' header is missing."
    MALFORMED = (
        "Authentication failed. The 'Authorization' header is provided in an invalid format."
    )

    def __init__(self, message: str) -> None:
        challenge = (
            'Bearer authorization_uri="https://login.microsoftonline.com/common", '
            'error="invalid_token", error_description="' + message + '"'
        )
        super().__init__(message, headers={"www-authenticate": challenge})


class InvalidAuthenticationToken(ArmError):
    status_code = 401
    code = "InvalidAuthenticationToken"

    def __init__(self) -> None:
        super().__init__("The access token is invalid.")


class ArmResourceNotFound(ArmError):
    status_code = 404
    code = "ResourceNotFound"

    def __init__(self, resource: str, resource_group: str) -> None:
        super().__init__(
            f"The Resource '{resource}' under resource group '{resource_group}' was not found. "
            "For more details please go to https://aka.ms/ARMResourceNotFoundFix"
        )


class InvalidResourceType(ArmError):
    status_code = 404
    code = "InvalidResourceType"

    def __init__(self, resource_type: str, version: str) -> None:
        super().__init__(
            f"The resource type '{resource_type}' could not be found in the namespace "
            f"'Microsoft.CognitiveServices' for api version '{version}'."
        )


class InvalidResourceName(ArmError):
    code = "InvalidResourceName"

    def __init__(self, name: str, rule: str) -> None:
        super().__init__(f"Resource name '{name}' is invalid. {rule}")


class InvalidRequestContent(ArmError):
    code = "InvalidRequestContent"

    def __init__(self, detail: str, target: str | None = None) -> None:
        super().__init__(
            f"The request content was invalid and could not be deserialized: '{detail}'.",
            target=target,
        )


class LocationRequired(ArmError):
    code = "LocationRequired"

    def __init__(self) -> None:
        super().__init__("The location property is required for this definition.")


class ArmConflict(ArmError):
    status_code = 409
    code = "Conflict"


class InsufficientQuota(ArmError):
    """The wording the resource provider uses when a deployment's capacity exceeds the quota."""

    code = "InsufficientQuota"

    def __init__(self, wanted: int, model: str, usage: int, limit: int) -> None:
        quota = f"Tokens Per Minute (thousands) - {model}"
        super().__init__(
            f"This operation require {wanted} new capacity in quota {quota}, which is bigger "
            f"than the current available capacity {max(0, limit - usage)}. The current quota "
            f"usage is {usage} and the quota limit is {limit} for quota {quota}."
        )


class AuthenticationTypeDisabled(ArmError):
    """The data plane of an account with `disableLocalAuth: true` refuses its keys."""

    status_code = 403
    code = "AuthenticationTypeDisabled"

    def __init__(self) -> None:
        super().__init__("Key based authentication is disabled for this resource.")


class ArmTokenRejected(AuthenticationFailed):
    """ARM's 401s for an Entra token it refuses (with `--entra-tokens`). The codes are ARM's
    well-known ones (`ExpiredAuthenticationToken`, `InvalidAuthenticationTokenAudience`,
    `InvalidAuthenticationToken`); the wording follows what `az` and the SDKs print for them."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.instance_code = code


class ArmOperationNotFound(ArmError):
    status_code = 404
    code = "OperationNotFound"

    def __init__(self, operation_id: str) -> None:
        super().__init__(f"The operation '{operation_id}' could not be found.")
