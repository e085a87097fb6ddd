"""Running wrk and reading its report."""

import re
import shutil
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path

_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
_REQUESTS_PER_SEC = re.compile(r"^Requests/sec:\s+([\d.]+)", re.MULTILINE)
_TOTAL = re.compile(r"^\s+(\d+) requests in ", re.MULTILINE)
_PERCENTILE = re.compile(r"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s|m|h)\s*$", re.MULTILINE)
_NON_2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
_SOCKET_ERRORS = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")


class LoadError(RuntimeError):
    """wrk is missing, failed, or printed something we cannot read."""


@dataclass(frozen=True)
class Load:
    threads: int
    connections: int
    seconds: int


@dataclass(frozen=True)
class Measurement:
    requests_per_sec: float
    requests: int
    p50_ms: float | None
    p99_ms: float | None
    # wrk counts 4xx/5xx here (a 3xx counts as success: the checks before timing rule those out).
    non_2xx: int
    socket_errors: dict[str, int]
    # The server's CPU per request while wrk ran (servers.cpu_seconds), where the caller measured it.
    cpu_ms_per_request: float | None = None

    def as_json(self) -> dict:
        return asdict(self)

    @property
    def failed_requests(self) -> int:
        # Sync workers close every connection, so "read" errors are not failures; the others are.
        errors = self.socket_errors
        return self.non_2xx + errors["connect"] + errors["write"] + errors["timeout"]


def wrk_path() -> str:
    path = shutil.which("wrk")
    if path is None:
        raise LoadError("wrk is not installed (apt-get install wrk)")
    return path


def run(url: str, load: Load, script: Path | None = None, script_args: tuple[str, ...] = ()) -> Measurement:
    command = [
        wrk_path(),
        f"-t{load.threads}",
        f"-c{load.connections}",
        f"-d{load.seconds}s",
        "--latency",
    ]
    if script is not None:
        command += ["-s", str(script)]
    command.append(url)
    if script_args:
        command += ["--", *script_args]
    result = subprocess.run(command, capture_output=True, text=True, timeout=load.seconds + 60)
    if result.returncode != 0:
        raise LoadError(f"wrk failed ({result.returncode}): {result.stderr.strip() or result.stdout.strip()}")
    return parse(result.stdout)


def parse(report: str) -> Measurement:
    rate = _REQUESTS_PER_SEC.search(report)
    total = _TOTAL.search(report)
    if rate is None or total is None:
        raise LoadError(f"cannot read wrk's report:\n{report}")
    percentiles = {name: float(value) * _UNITS_MS[unit] for name, value, unit in _PERCENTILE.findall(report)}
    non_2xx = _NON_2XX.search(report)
    socket = _SOCKET_ERRORS.search(report)
    names = ("connect", "read", "write", "timeout")
    return Measurement(
        requests_per_sec=float(rate.group(1)),
        requests=int(total.group(1)),
        p50_ms=percentiles.get("50"),
        p99_ms=percentiles.get("99"),
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors={name: int(socket.group(i + 1)) if socket else 0 for i, name in enumerate(names)},
    )
