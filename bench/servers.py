"""Gunicorn under test: 2 sync workers on 127.0.0.1, started and always stopped by the benchmark."""

import http.client
import os
import re
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
GUNICORN = PROJECT_ROOT / ".venv" / "bin" / "gunicorn"
HOST = "127.0.0.1"
STARTUP_SECONDS = 30
# Gunicorn's own "[ERROR]"/"[CRITICAL]" (e.g. WORKER TIMEOUT) and the app's "ERROR in web: ...".
_ERROR_LINE = re.compile(r"\bERROR\b|\bCRITICAL\b|^Traceback")


class ServerError(RuntimeError):
    """Gunicorn did not start, or died."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(app_spec: str, workers: int, env: dict[str, str], log_path: Path) -> Iterator[int]:
    """Serve `app_spec` (e.g. "app:create_app()") and yield its port; stop it however the block ends.

    Its error log goes to `log_path`: a request that failed after wrk stopped listening (one still
    queued when a run ended) shows up only there, so the caller reads it with `logged_errors`.
    """
    port = free_port()
    command = [
        str(GUNICORN),
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--bind",
        f"{HOST}:{port}",
        # No access log (the default; said here so nobody turns it on by accident): the baseline
        # writes none either, and a log line per request would be part of every figure.
        "--log-level",
        "warning",
        "--no-control-socket",
        # Where cpu_seconds() finds the master, and through it the workers.
        "--pid",
        str(pid_file(log_path)),
        app_spec,
    ]
    # Its own process group, so stopping it also stops its workers whatever happens to the master.
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("w") as log:
        process = subprocess.Popen(
            command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            _wait_until_answering(process, port, log_path)
            yield port
        finally:
            _stop(process)


def pid_file(log_path: Path) -> Path:
    return log_path.with_suffix(".pid")


def cpu_seconds(log_path: Path) -> float:
    """User + system CPU time the server started with this log has used so far, master and workers.

    On a shared machine this is the steadier figure: requests per second fall when other processes
    take the cores, the CPU each request costs does not (much)."""
    master = int(pid_file(log_path).read_text().strip())
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return sum(_cpu_of(pid) for pid in [master, *map(int, children)])


def _cpu_of(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def logged_errors(log_path: Path) -> list[str]:
    return [line for line in log_path.read_text().splitlines() if _ERROR_LINE.search(line)]


def _wait_until_answering(process: subprocess.Popen, port: int, log_path: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = "\n".join(log_path.read_text().splitlines()[-20:])
            raise ServerError(f"gunicorn exited with status {process.returncode} while starting:\n{tail}")
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=2)
            connection.request("GET", "/")
            connection.getresponse().read()
            connection.close()
            return  # any HTTP answer, even a 404, means a worker is serving
        except OSError:
            time.sleep(0.1)
    raise ServerError(f"gunicorn did not answer on port {port} within {STARTUP_SECONDS} s")


def _stop(process: subprocess.Popen) -> None:
    """SIGTERM is gunicorn's graceful stop; SIGKILL the group if it has not exited in 10 s."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
