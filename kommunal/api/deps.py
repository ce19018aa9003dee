"""Dependencies of the routes: the runtime, the caller's API key (role checked, rate limited)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from kommunal.api.keys import ApiKey, Role
from kommunal.api.problems import ApiProblem
from kommunal.api.ratelimit import retry_after_header
from kommunal.api.runtime import Runtime

_api_key_header = APIKeyHeader(
    name="X-API-Key", auto_error=False, description="API-Schlüssel (kommunal-assistant keys create)."
)
_bearer = HTTPBearer(auto_error=False, description="Derselbe API-Schlüssel als Bearer-Token.")


def get_runtime(request: Request) -> Runtime:
    return request.app.state.runtime  # type: ignore[no-any-return]


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


def authenticate(
    runtime: RuntimeDep,
    api_key: Annotated[str | None, Depends(_api_key_header)],
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> ApiKey:
    """The caller's key from ``X-API-Key`` or ``Authorization: Bearer``; 401 when missing or unknown."""
    token = api_key or (bearer.credentials if bearer else None)
    challenge = {"WWW-Authenticate": "Bearer"}
    if not token:
        raise ApiProblem(
            401,
            "unauthenticated",
            "Kein API-Schlüssel angegeben. Bitte den Header X-API-Key oder Authorization: Bearer setzen.",
            headers=challenge,
        )
    key = runtime.keys.verify(token)
    if key is None:
        raise ApiProblem(
            401, "invalid_api_key", "Unbekannter oder widerrufener API-Schlüssel.", headers=challenge
        )
    return key


def require(role: Role) -> Callable[..., ApiKey]:
    """A dependency admitting keys with at least ``role``, within their rate limit."""

    def dependency(
        request: Request, runtime: RuntimeDep, key: Annotated[ApiKey, Depends(authenticate)]
    ) -> ApiKey:
        if not key.allows(role):
            raise ApiProblem(
                403,
                "forbidden",
                f"Der Schlüssel „{key.name}“ hat die Rolle {key.role}; hierfür ist mindestens {role} nötig.",
            )
        wait = runtime.limiter.acquire(key.key_id)
        if wait > 0:
            raise ApiProblem(
                429,
                "rate_limited",
                "Zu viele Anfragen mit diesem Schlüssel. Bitte kurz warten und erneut versuchen.",
                headers={"Retry-After": retry_after_header(wait)},
            )
        request.state.key_name = key.name
        return key

    return dependency


Reader = Annotated[ApiKey, Depends(require("reader"))]
Editor = Annotated[ApiKey, Depends(require("editor"))]
Admin = Annotated[ApiKey, Depends(require("admin"))]
