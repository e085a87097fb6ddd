"""Checks that each signed-in target answers what a browser gets, before and after timing it.

A benchmark of redirects to the log-in page or of CSRF 400s measures nothing, and wrk counts a
302 as a success, so every benchmark learner is checked once by hand first.
"""

import http.client
import json

from bench.servers import HOST
from bench.signin import Credentials

HEARTBEAT_BODY = {"intervals": [], "position": 12.5, "rate": 1}  # the body heartbeat.lua sends


class CheckFailed(RuntimeError):
    """A target does not answer as a signed-in learner's browser would be answered."""


def check_player(port: int, path: str, credentials: Credentials) -> None:
    status, headers, body = _request(port, "GET", path, credentials.headers())
    if status != 200 or 'id="lesson-video"' not in body:
        raise CheckFailed(f"GET {path} answered {status} without the video player: {_excerpt(headers, body)}")
    _no_new_session(path, headers)


def check_heartbeat(port: int, path: str, credentials: Credentials) -> None:
    _check_json_post(port, path, credentials, "watched_seconds")


def check_floor(port: int, path: str, credentials: Credentials) -> None:
    """The floor route answers the signed-in user's id: null would mean the session was not read."""
    answer = _check_json_post(port, path, credentials, "user")
    if not isinstance(answer["user"], int):
        raise CheckFailed(f"POST {path} did not find the signed-in learner: {answer}")


def _check_json_post(port: int, path: str, credentials: Credentials, expected_key: str) -> dict:
    headers = {**credentials.headers(), "Content-Type": "application/json"}
    status, answer_headers, body = _request(port, "POST", path, headers, json.dumps(HEARTBEAT_BODY))
    try:
        answer = json.loads(body)
    except ValueError:
        answer = {}
    if status != 200 or expected_key not in answer:
        raise CheckFailed(f"POST {path} answered {status}: {_excerpt(answer_headers, body)}")
    _no_new_session(path, answer_headers)
    return answer


def _no_new_session(path: str, headers: dict[str, str]) -> None:
    """A Set-Cookie would mean the server rewrites the session on every request (signing cost
    the figures would include, and wrk would not send back): the credentials are wrong."""
    if "set-cookie" in headers:
        raise CheckFailed(f"{path} sent a new cookie ({headers['set-cookie'][:60]}...)")


def _request(port: int, method: str, path: str, headers: dict[str, str], body: str | None = None):
    # http.client, not urllib: urllib follows redirects, which would hide a bounce to the log-in page.
    connection = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        return response.status, {name.lower(): value for name, value in response.getheaders()}, text
    finally:
        connection.close()


def _excerpt(headers: dict[str, str], body: str) -> str:
    location = headers.get("location")
    return f"redirect to {location}" if location else body[:300]
