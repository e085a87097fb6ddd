"""Throughput of the lesson player and the heartbeat, as ratios of a bare Flask hello world.

    .venv/bin/python bench/run.py [--database-url postgresql://...] [--rounds 5] [--duration 5]

Seeds a throwaway database, serves the app and bench/hello.py with the same gunicorn settings
(2 sync workers on 127.0.0.1), checks each signed-in target answers as a browser is answered, then
measures the three with wrk, round after round (DESIGN §7: ratios against hello world measured in
the same run, never absolute times alone). Prints a table and writes bench/results/latest.json.
Exits 2 if the tooling fails or any request failed; a ratio below its target is reported, not an
error.
"""

import argparse
import json
import os
import platform
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

# Run as a script (`make bench`), so the project root is not on the path yet.
PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from flask import Flask  # noqa: E402

from app import create_app  # noqa: E402
from bench import checks, loadgen, seed, servers, signin  # noqa: E402
from bench.floor import FLOOR_PATH  # noqa: E402
from bench.signin import Credentials  # noqa: E402
from courseware.extensions import db  # noqa: E402

BENCH_DIR = PROJECT_ROOT / "bench"
RESULTS_DIR = BENCH_DIR / "results"  # git-ignored
# Minimum req/s as a share of hello world's (the targets).
TARGET_RATIOS = {"player": 0.3, "heartbeat": 0.5}
# Measured and shown beside the targets, without a target of their own (bench/floor.py).
REFERENCES = ("floor",)
# When wrk stops, requests it had sent are still queued in gunicorn and run after it has gone.
# Waiting lets them finish, so they do not overlap the next run (and race its first requests).
DRAIN_SECONDS = 1.0


@dataclass(frozen=True)
class Target:
    name: str
    port: int
    path: str
    script: Path | None = None  # a wrk Lua script taking the learners.lua arguments

    @property
    def url(self) -> str:
        return f"http://{servers.HOST}:{self.port}{self.path}"


Round = dict[str, loadgen.Measurement]  # one timed wrk run of each target, by target name


@dataclass(frozen=True)
class Summary:
    """One target over all rounds. Each round's ratio uses the hello world of the same round, so a
    machine that gets busier or quieter during the run moves both sides of the ratio together."""

    name: str
    path: str
    rounds: list[loadgen.Measurement]
    ratios: list[float] | None = None  # None for the baseline itself
    target: float | None = None

    @property
    def requests_per_sec(self) -> float:
        return statistics.median(m.requests_per_sec for m in self.rounds)

    def latency_ms(self, percentile: str) -> float | None:
        values = [getattr(m, f"{percentile}_ms") for m in self.rounds]
        return None if None in values else statistics.median(values)

    @property
    def ratio(self) -> float | None:
        return None if self.ratios is None else statistics.median(self.ratios)

    @property
    def passed(self) -> bool | None:
        return None if self.ratios is None or self.target is None else self.ratio >= self.target

    @property
    def failed_requests(self) -> int:
        return sum(m.failed_requests for m in self.rounds)

    def as_json(self) -> dict:
        return {
            "target": self.name,
            "path": self.path,
            "requests_per_sec": self.requests_per_sec,
            "p50_ms": self.latency_ms("p50"),
            "p99_ms": self.latency_ms("p99"),
            "ratio": self.ratio,
            "target_ratio": self.target,
            "passed": self.passed,
            "round_ratios": self.ratios,
            "rounds": [m.as_json() for m in self.rounds],
        }


def main(argv: list[str] | None = None) -> int:
    options = _parse_args(argv)
    problems: list[str] = []
    try:
        summaries, database = _benchmark(options, problems)
    except (loadgen.LoadError, servers.ServerError, checks.CheckFailed, seed.DatabaseNotEmpty) as error:
        print(f"bench: {error}", file=sys.stderr)
        return 2
    problems += [
        f"{summary.name}: {summary.failed_requests} failed requests"
        for summary in summaries
        if summary.failed_requests
    ]
    _print_table(summaries, database, options)
    _write_json(options.output, summaries, database, options, problems)
    for problem in problems:
        print(f"bench: NOT VALID: {problem}", file=sys.stderr)
    return 2 if problems else 0


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        help="an empty throwaway PostgreSQL database (default: "
        "a temporary SQLite file); its tables are created, then dropped",
    )
    parser.add_argument(
        "--drop-existing",
        action="store_true",
        help="replace tables already in --database-url instead of refusing",
    )
    # Several short rounds rather than one long one: on a shared machine the load from neighbours
    # changes within seconds, and a ratio is only fair between runs made close together.
    parser.add_argument("--rounds", type=int, default=5, help="rounds of hello, player, heartbeat (5)")
    parser.add_argument("--duration", type=int, default=5, help="timed seconds per target and round (5)")
    parser.add_argument("--warmup", type=int, default=2, help="untimed seconds per target first (2)")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (8)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (2)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (2)")
    parser.add_argument(
        "--learners", type=int, default=32, help="signed-in learners the requests rotate over (32)"
    )
    parser.add_argument("--output", type=Path, default=RESULTS_DIR / "latest.json", help="JSON results file")
    options = parser.parse_args(argv)
    if options.learners < options.threads:
        parser.error("--learners must be at least --threads: each wrk thread needs its own learners")
    if options.rounds < 1:
        parser.error("--rounds must be at least 1")
    return options


def _benchmark(options: argparse.Namespace, problems: list[str]) -> tuple[list[Summary], str]:
    loadgen.wrk_path()  # fail before seeding if wrk is missing
    with tempfile.TemporaryDirectory(prefix="courseware-bench-") as workdir:
        url = options.database_url or f"sqlite:///{Path(workdir) / 'bench.db'}"
        with _seeded_app(url, options) as (app, seeded):
            credentials = [signin.sign_in(app, user_id) for user_id in seeded.learner_ids]
            learners_file = Path(workdir) / "learners.tsv"
            signin.write_learners_file(learners_file, credentials)
            paths = _paths(seeded)
            rounds = _serve_and_measure(options, paths, credentials, learners_file, problems)
            database = _dialect(app)
    return _summarise(rounds, paths), database


@contextmanager
def _seeded_app(database_url: str, options: argparse.Namespace) -> Iterator[tuple[Flask, seed.Seeded]]:
    """The app as gunicorn will build it (same environment), over a freshly seeded schema."""
    _configure_environment(database_url)
    app = create_app()
    with app.app_context():
        seed.create_schema(allow_existing=options.drop_existing)
    try:
        with app.app_context():
            seeded = seed.seed(options.learners)
        yield app, seeded
    finally:
        with app.app_context():
            seed.drop_schema()


def _configure_environment(database_url: str) -> None:
    """What both this process's app and gunicorn's read: config.load_config takes FLASK_* variables.

    The random SECRET_KEY makes the cookies signed here valid there and nowhere else. DATABASE_URL
    is set too because load_config lets it override the FLASK_ one. REDIS_URL and FLASK_DEBUG are
    dropped: the measured routes have no rate limits, and debug mode is not what production runs.
    """
    os.environ["FLASK_SECRET_KEY"] = secrets.token_hex(32)
    os.environ["FLASK_SQLALCHEMY_DATABASE_URI"] = database_url
    os.environ["DATABASE_URL"] = database_url
    for name in ("REDIS_URL", "FLASK_DEBUG"):
        os.environ.pop(name, None)


def _dialect(app: Flask) -> str:
    with app.app_context():
        return db.engine.dialect.name


def _paths(seeded: seed.Seeded) -> dict[str, str]:
    player = f"/learn/{seeded.course_slug}/{seeded.lesson_slug}"
    return {"hello": "/", "player": player, "heartbeat": f"{player}/progress", "floor": FLOOR_PATH}


def _serve_and_measure(
    options: argparse.Namespace,
    paths: dict[str, str],
    credentials: list[Credentials],
    learners_file: Path,
    problems: list[str],
) -> list[Round]:
    """All servers up at once (an idle sync worker costs nothing), so the rounds can alternate."""
    logs = {name: RESULTS_DIR / f"server-{name}.log" for name in ("hello", "app", "floor")}
    env = dict(os.environ)
    hello_server = servers.gunicorn("bench.hello:app", options.workers, env, logs["hello"])
    app_server = servers.gunicorn("app:create_app()", options.workers, env, logs["app"])
    floor_server = servers.gunicorn("bench.floor:create_floor_app()", options.workers, env, logs["floor"])
    with hello_server as hello_port, app_server as app_port, floor_server as floor_port:
        targets = _targets(hello_port, app_port, floor_port, paths)
        _check(targets, credentials)
        rounds = [
            _round(targets, options, learners_file, problems, warm_up=index == 0)
            for index in range(options.rounds)
        ]
        _check(targets, credentials[:1])  # still signed in and answering after all the load
    for log in logs.values():
        errors = servers.logged_errors(log)
        if errors:
            problems.append(f"{len(errors)} error lines in {log}, the first: {errors[0]}")
    return rounds


def _targets(hello_port: int, app_port: int, floor_port: int, paths: dict[str, str]) -> list[Target]:
    return [
        Target("hello", hello_port, paths["hello"]),
        Target("player", app_port, paths["player"], BENCH_DIR / "player.lua"),
        Target("heartbeat", app_port, paths["heartbeat"], BENCH_DIR / "heartbeat.lua"),
        # The heartbeat's script: the same signed-in JSON POST; the floor ignores the body.
        Target("floor", floor_port, paths["floor"], BENCH_DIR / "heartbeat.lua"),
    ]


def _check(targets: list[Target], credentials: list[Credentials]) -> None:
    _hello, player, heartbeat, floor = targets
    # The page first: opening it starts the lesson's watch-time clock the heartbeat needs.
    for item in credentials:
        checks.check_player(player.port, player.path, item)
        checks.check_heartbeat(heartbeat.port, heartbeat.path, item)
        checks.check_floor(floor.port, floor.path, item)


def _round(
    targets: list[Target],
    options: argparse.Namespace,
    learners_file: Path,
    problems: list[str],
    warm_up: bool,
) -> Round:
    load = loadgen.Load(options.threads, options.connections, options.duration)
    warmup = loadgen.Load(options.threads, options.connections, options.warmup)
    measured = {}
    for target in targets:
        script_args = ()
        if target.script:
            script_args = (str(learners_file), str(options.threads), target.path, signin.USER_AGENT)
        if warm_up and options.warmup > 0:
            failed = loadgen.run(target.url, warmup, target.script, script_args).failed_requests
            if failed:
                problems.append(f"{target.name}: {failed} failed requests in the warm-up")
            time.sleep(DRAIN_SECONDS)
        measured[target.name] = loadgen.run(target.url, load, target.script, script_args)
        time.sleep(DRAIN_SECONDS)
    return measured


def _summarise(rounds: list[Round], paths: dict[str, str]) -> list[Summary]:
    hello = [each["hello"] for each in rounds]
    summaries = [Summary("hello", paths["hello"], hello)]
    for name, target_ratio in [*TARGET_RATIOS.items(), *((name, None) for name in REFERENCES)]:
        measured = [each[name] for each in rounds]
        ratios = [m.requests_per_sec / h.requests_per_sec for m, h in zip(measured, hello, strict=True)]
        summaries.append(Summary(name, paths[name], measured, ratios, target_ratio))
    return summaries


def _print_table(summaries: list[Summary], database: str, options: argparse.Namespace) -> None:
    print(
        f"\n{database}, gunicorn {options.workers} sync workers, wrk -t{options.threads} "
        f"-c{options.connections} -d{options.duration}s, median of {options.rounds} rounds, "
        f"{os.cpu_count()} CPUs\n"
    )
    header = (
        f"{'target':<10} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'× hello':>8} "
        f"{'range':>13} {'target':>8}  result"
    )
    print(header)
    print("-" * len(header))
    for summary in summaries:
        print(_row(summary))
    print()


def _row(summary: Summary) -> str:
    ratio = spread = target = ""
    if summary.ratios is not None:
        ratio = f"{summary.ratio:.3f}"
        spread = f"{min(summary.ratios):.3f}–{max(summary.ratios):.3f}"
        target = f"≥ {summary.target:.2f}" if summary.target is not None else ""
    verdict = {None: "baseline", True: "PASS", False: "FAIL (below target)"}[summary.passed]
    if summary.ratios is not None and summary.target is None:
        verdict = "reference"
    return (
        f"{summary.name:<10} {summary.requests_per_sec:>9.1f} {_ms(summary.latency_ms('p50')):>8} "
        f"{_ms(summary.latency_ms('p99')):>8} {ratio:>8} {spread:>13} {target:>8}  {verdict}"
    )


def _ms(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def _write_json(
    path: Path, summaries: list[Summary], database: str, options: argparse.Namespace, problems: list[str]
) -> None:
    report = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": database,
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
        },
        "settings": {
            "workers": options.workers,
            "threads": options.threads,
            "connections": options.connections,
            "rounds": options.rounds,
            "duration_s": options.duration,
            "warmup_s": options.warmup,
            "learners": options.learners,
        },
        "results": [summary.as_json() for summary in summaries],
        "problems": problems,
        "valid": not problems,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2) + "\n")
    print(f"Written to {path}")


if __name__ == "__main__":
    sys.exit(main())
