"""Cross-cutting web rules: security headers, safe redirects, error pages, per-request commit."""

from urllib.parse import urlsplit

from flask import (
    Flask,
    current_app,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.http import HTTP_STATUS_CODES
from werkzeug.routing import IntegerConverter

from courseware.extensions import db
from courseware.storage import media_origin


def content_security_policy(media_store_origin: str | None = None) -> str:
    """The CSP; an S3 media store's origin is where videos come from too (presigned redirects)."""
    media_src = f"media-src 'self' {media_store_origin}" if media_store_origin else "media-src 'self'"
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            # Members' forum posts may show images by https URL (markdown `![alt](https://...)`).
            "img-src 'self' data: https:",
            media_src,
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def is_safe_next(target: str | None) -> bool:
    """Only same-site paths: no scheme, no host, no protocol-relative or backslash tricks."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


# The largest id a PostgreSQL integer column holds; larger numbers in a URL cannot name a row, and
# passing them to the database would fail with an overflow (a 500) instead of a 404.
MAX_ID = 2**31 - 1
MAX_PAGE = 10_000


class DatabaseIntegerConverter(IntegerConverter):
    """`<int:...>` in every route: a number the database can compare, or no match (404)."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


class PageLinks:
    """What templates/_partials/pagination.html reads, for a list that knows its `page` and `pages`."""

    page: int
    pages: int

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def page_number() -> int:
    """?page= for paginated lists: anything but a number from 1 to MAX_PAGE reads as page 1."""
    page = request.args.get("page", 1, type=int)
    return page if 1 <= page <= MAX_PAGE else 1


def site_request_context():
    """For CLI commands whose emails carry links (cron has no request): URLs on SITE_URL."""
    base_url = current_app.config.get("SITE_URL") or "http://127.0.0.1:5000"
    return current_app.test_request_context(base_url=base_url)


def init_app(app: Flask) -> None:
    app.url_map.converters["int"] = DatabaseIntegerConverter
    # Computed once: the config does not change while the app runs.
    policy = content_security_policy(media_origin(app.config))
    app.extensions["security_headers"] = _security_header_rows(policy)
    app.after_request(_add_security_headers)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)


def unauthorized():
    """Flask-Login's answer to an anonymous visitor: 401 JSON for scripts, the login page for people."""
    if wants_json() or request.path.endswith("/progress"):
        return json_error(401, "Your session has ended. Log in again to keep recording your progress.")
    flash("Please log in to continue.", "info")
    next_path = request.full_path.rstrip("?") if request.method == "GET" else None
    return redirect(url_for("accounts.login", next=next_path))


def _security_header_rows(policy: str) -> tuple[tuple[str, str, str], ...]:
    """(lower-case name, name, value) of every header each response carries unless it set its own."""
    headers = (
        ("Content-Security-Policy", policy),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "strict-origin-when-cross-origin"),
        ("X-Frame-Options", "DENY"),
        ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
    )
    return tuple((name.lower(), name, value) for name, value in headers)


def _add_security_headers(response):
    headers = response.headers
    # One pass over the few headers already set (a lookup per name costs each page more).
    present = {name.lower() for name, _value in headers}
    for lower, name, value in current_app.extensions["security_headers"]:
        if lower not in present:
            headers.add(name, value)
    return response


def wants_json() -> bool:
    if request.is_json:
        return True
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return (
        best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


def json_error(status: int, message: str | None, **extra):
    """The body every JSON endpoint answers an error with: {"error": "Bad Request", "message": ...}."""
    db.session.rollback()
    body = {"error": HTTP_STATUS_CODES.get(status, "Error"), "message": message, **extra}
    return make_response(jsonify(body), status)


def _csrf_error(error: CSRFError):
    reason = "The form expired or was sent from another site. Reload the page and try again."
    return _error_response(400, "Bad request", reason)


def _http_error(error: HTTPException):
    # 3xx "errors" (e.g. RequestRedirect for a missing trailing slash) are redirects, not failures.
    if error.code and error.code < 400:
        return error
    return _error_response(error.code or 500, error.name, error.description, error)


def _unexpected_error(error: Exception):
    db.session.rollback()
    if isinstance(error, HTTPException):
        return _http_error(error)
    current_app.logger.exception("Unhandled error on %s %s", request.method, request.path)
    if current_app.debug:
        raise error
    server_error = InternalServerError()
    return _error_response(500, server_error.name, "Something went wrong on our side. Please try again.")


def _error_response(code: int, title: str, message: str | None, error: HTTPException | None = None):
    db.session.rollback()
    if wants_json():
        response = json_error(code, message)
    else:
        response = render_template("errors/error.html", code=code, title=title, message=message)
    response = make_response(response, code)
    if error is not None:
        # Keep what werkzeug would send: Allow on 405, Retry-After on 429, and so on.
        for name, value in error.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
    return response
