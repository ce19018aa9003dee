"""Dependencies of the routes: the runtime, the caller's API key (role checked, rate limited).

For a front-end key the key a route sees is already narrowed to the forwarded user's document
sets (:mod:`kommunal.api.frontend_users`), so every route's scoping applies to the user."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from assistant.errors import ConfigError
from kommunal.api.frontend_users import MappingFile, narrowed
from kommunal.api.keys import ApiKey, Role
from kommunal.api.problems import ApiProblem
from kommunal.api.ratelimit import retry_after_header
from kommunal.api.runtime import Runtime

log = logging.getLogger(__name__)

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
        key = _for_user(request, key)
        request.state.key_name = key.log_name
        return key

    return dependency


def _for_user(request: Request, key: ApiKey) -> ApiKey:
    """``key`` narrowed to the front-end user of the request; 503 when the mapping file is broken."""
    if key.frontend is None:
        return key
    mapping: MappingFile = request.app.state.frontend_users
    try:
        return narrowed(key, request.headers, mapping)
    except ConfigError as exc:
        log.error("front-end user mapping unusable: %s", exc)
        raise ApiProblem(503, "frontend_users_invalid", str(exc)) from exc


Reader = Annotated[ApiKey, Depends(require("reader"))]
Editor = Annotated[ApiKey, Depends(require("editor"))]
Admin = Annotated[ApiKey, Depends(require("admin"))]
