"""The forum's pages under load: a 1,000-topic forum and a 100,000-post forum, against hello world.

    .venv/bin/python bench/forum.py [--database-url postgresql://...] [--rounds 3] [--duration 5]

Seeds two forums (bench/forum_seed.py): "1k" with 1,000 topics of 20 posts (20,000 posts) and
"100k" with 5,000 topics of 20 posts (100,000 posts), each with one 120-post topic. SQLite: one
file each; PostgreSQL: one schema each (forum_bench_1k, forum_bench_100k) in the given database,
dropped at the end. Serves bench/hello.py and the app on each forum with the same gunicorn (2 sync
workers), checks every target answers a signed-in member as a browser is answered, then runs wrk
round after round on: hello, and for each forum the topic page (50 posts), the board page and a
search. Reports each page's req/s as a ratio of hello's (topic page target ≥ 0.25) and the 100k
forum's latency relative to the 1k forum's for the board page and search (target ≤ 1.5×).
Exits 2 if the tooling fails or a request failed; a missed target is reported, not an error.
"""

import argparse
import dataclasses
import http.client
import json
import os
import secrets
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote_plus, urlsplit, urlunsplit

import sqlalchemy as sa

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))


from app import create_app  # noqa: E402
from bench import forum_seed, loadgen, servers, signin  # noqa: E402
from courseware.extensions import db  # noqa: E402

BENCH_DIR = PROJECT_ROOT / "bench"
RESULTS_DIR = BENCH_DIR / "results"
SIZES = {"1k": 1_000, "100k": 5_000}  # topics of 20 posts: 20,000 and 100,000 posts
TOPIC_RATIO_TARGET = 0.25
GROWTH_TARGET = 1.5  # 100k latency / 1k latency, board page and search
DRAIN_SECONDS = 1.0
# What each page must show to count as answered (a 302 to the log-in page would not).
MARKERS = {"topic": 'id="post-50"', "board": 'class="topic-row', "search": 'class="search-result'}


@dataclass(frozen=True)
class Target:
    name: str  # "hello", or "<page>-<forum>"
    port: int
    path: str
    server_log: Path
    signed_in: bool = True

    @property
    def url(self) -> str:
        return f"http://{servers.HOST}:{self.port}{self.path}"


def main(argv: list[str] | None = None) -> int:
    options = _parse_args(argv)
    problems: list[str] = []
    try:
        rounds = _run(options, problems)
    except (loadgen.LoadError, servers.ServerError, CheckFailed) as error:
        print(f"bench: {error}", file=sys.stderr)
        return 2
    report = _report(rounds, options, problems)
    _print(report)
    options.output.parent.mkdir(parents=True, exist_ok=True)
    options.output.write_text(json.dumps(report, indent=2) + "\n")
    print(f"Written to {options.output}")
    for problem in problems:
        print(f"bench: NOT VALID: {problem}", file=sys.stderr)
    return 2 if problems else 0


def _parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="a PostgreSQL database for two throwaway schemas "
                        "(default: two temporary SQLite files)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds over all targets (3)")
    parser.add_argument("--duration", type=int, default=5, help="timed seconds per target and round (5)")
    parser.add_argument("--warmup", type=int, default=2, help="untimed seconds per target first (2)")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (2)")
    parser.add_argument("--members", type=int, default=16, help="signed-in members the requests rotate over")
    parser.add_argument("--output", type=Path, default=RESULTS_DIR / "forum.json")
    parser.add_argument("--scale", type=float, default=1.0,
                        help="seed this share of each forum's topics (a quick try of the tooling: 0.05)")
    return parser.parse_args(argv)


def _run(options, problems: list[str]) -> list[dict[str, loadgen.Measurement]]:
    loadgen.wrk_path()
    secret = secrets.token_hex(32)
    with tempfile.TemporaryDirectory(prefix="forum-bench-") as workdir, ExitStack() as stack:
        env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "FLASK_DEBUG")}
        env["FLASK_SECRET_KEY"] = secret
        hello_log = RESULTS_DIR / "server-forum-hello.log"
        hello = stack.enter_context(servers.gunicorn("bench.hello:app", options.workers, env, hello_log))
        targets = [Target("hello", hello, "/", hello_log, signed_in=False)]
        learner_files = {}
        for name, topics in SIZES.items():
            url = _database_url(options.database_url, name, workdir)
            topics = max(1, int(topics * options.scale))
            forum = stack.enter_context(_seeded(url, name, topics, options.members, secret))
            learner_files[name] = Path(workdir) / f"members-{name}.tsv"
            signin.write_learners_file(learner_files[name], forum["credentials"])
            app_env = {**env, "FLASK_SQLALCHEMY_DATABASE_URI": url, "DATABASE_URL": url}
            app_log = RESULTS_DIR / f"server-forum-{name}.log"
            server = servers.gunicorn("app:create_app()", options.workers, app_env, app_log)
            port = stack.enter_context(server)
            search = f"/forum/search?q={quote_plus(forum_seed.SEARCH_QUERY)}"
            targets += [
                Target(f"topic-{name}", port, forum["topic_path"], app_log),
                Target(f"board-{name}", port, f"/forum/{forum['board']}/", app_log),
                Target(f"search-{name}", port, search, app_log),
            ]
            print(f"forum {name}: {forum['posts']:,} posts seeded", file=sys.stderr)
        credentials = {name: _read_credentials(path) for name, path in learner_files.items()}
        for target in targets[1:]:
            for item in credentials[target.name.split("-")[1]]:
                _check(target, item)
        rounds = [
            _round(targets, options, learner_files, problems, index == 0) for index in range(options.rounds)
        ]
        for target in targets[1:]:
            _check(target, credentials[target.name.split("-")[1]][0])
    for log in RESULTS_DIR.glob("server-forum-*.log"):
        errors = servers.logged_errors(log)
        if errors:
            problems.append(f"{len(errors)} error lines in {log}, the first: {errors[0]}")
    return rounds


def _database_url(base: str | None, name: str, workdir: str) -> str:
    if base is None:
        return f"sqlite:///{Path(workdir) / f'forum-{name}.db'}"
    parts = urlsplit(base)
    query = f"options=-csearch_path%3Dforum_bench_{name}"
    return urlunsplit(parts._replace(query=f"{parts.query}&{query}" if parts.query else query))


class _seeded:
    """The forum seeded in a fresh schema; its tables (and PostgreSQL schema) dropped on exit."""

    def __init__(self, url: str, name: str, topics: int, members: int, secret: str):
        self.url, self.name, self.topics, self.members, self.secret = url, name, topics, members, secret

    def __enter__(self) -> dict:
        self.app = create_app({"SQLALCHEMY_DATABASE_URI": self.url, "SECRET_KEY": self.secret})
        with self.app.app_context():
            self._schema(create=True)
            db.create_all()
            forum = forum_seed.seed(self.topics, self.members)
            self._analyze()
        # Outside the seeding's app context: each sign-in needs its own `g` (Flask-Login and
        # Flask-WTF cache the user and the CSRF token there).
        credentials = [signin.sign_in(self.app, member_id) for member_id in forum.member_ids]
        return {"credentials": credentials, "topic_path": forum.long_topic_path, "board": forum.board_slug,
                "posts": forum.posts}

    def __exit__(self, *_exc) -> None:
        with self.app.app_context():
            db.session.remove()
            db.drop_all()
            self._schema(create=False)
            db.engine.dispose()

    def _analyze(self) -> None:
        """A live PostgreSQL has statistics for its tables (autovacuum gathers them as rows
        arrive); a bulk load measured at once would not, and its planner would guess."""
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect() as connection:
                connection.execution_options(isolation_level="AUTOCOMMIT").execute(sa.text("ANALYZE"))

    def _schema(self, create: bool) -> None:
        if db.engine.dialect.name != "postgresql":
            return
        schema = f"forum_bench_{self.name}"
        with db.engine.begin() as connection:
            connection.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
            if create:
                connection.exec_driver_sql(f"CREATE SCHEMA {schema}")


def _read_credentials(path: Path) -> list[signin.Credentials]:
    return [signin.Credentials(*line.split("\t")) for line in path.read_text().splitlines() if line]


class CheckFailed(RuntimeError):
    pass


def _check(target: Target, credentials: signin.Credentials) -> None:
    """The page a signed-in member's browser gets: 200, the page's marker, no new cookie."""
    connection = http.client.HTTPConnection(servers.HOST, target.port, timeout=30)
    try:
        connection.request("GET", target.path, headers=credentials.headers())
        response = connection.getresponse()
        body = response.read().decode("utf-8", "replace")
    finally:
        connection.close()
    marker = MARKERS[target.name.split("-")[0]]
    if response.status != 200 or marker not in body:
        raise CheckFailed(f"GET {target.path} answered {response.status} without {marker!r}: "
                          f"{response.getheader('location') or body[:300]}")
    if response.getheader("set-cookie"):
        raise CheckFailed(f"GET {target.path} sent a new cookie ({response.getheader('set-cookie')[:80]}): "
                          "the credentials are wrong")


def _round(targets, options, learner_files, problems, warm_up: bool) -> dict[str, loadgen.Measurement]:
    load = loadgen.Load(options.threads, options.connections, options.duration)
    warmup = loadgen.Load(options.threads, options.connections, options.warmup)
    measured = {}
    for target in targets:
        script, args = None, ()
        if target.signed_in:
            learners = learner_files[target.name.split("-")[1]]
            # player.lua: a signed-in GET of the given path, cycling over the members.
            script = BENCH_DIR / "player.lua"
            args = (str(learners), str(options.threads), target.path, signin.USER_AGENT)
        if warm_up and options.warmup > 0:
            if loadgen.run(target.url, warmup, script, args).failed_requests:
                problems.append(f"{target.name}: failed requests in the warm-up")
            time.sleep(DRAIN_SECONDS)
        cpu_before = servers.cpu_seconds(target.server_log)
        measurement = loadgen.run(target.url, load, script, args)
        cpu_ms = (servers.cpu_seconds(target.server_log) - cpu_before) * 1000 / max(1, measurement.requests)
        measured[target.name] = dataclasses.replace(measurement, cpu_ms_per_request=cpu_ms)
        time.sleep(DRAIN_SECONDS)
    return measured


def _report(rounds, options, problems) -> dict:
    names = list(rounds[0])
    for name in names:
        failed = sum(r[name].failed_requests for r in rounds)
        if failed:
            problems.append(f"{name}: {failed} failed requests")
    rows = {}
    for name in names:
        ratios = [r[name].requests_per_sec / r["hello"].requests_per_sec for r in rounds]
        rows[name] = {
            "requests_per_sec": statistics.median(r[name].requests_per_sec for r in rounds),
            "p50_ms": statistics.median(r[name].p50_ms for r in rounds),
            "p99_ms": statistics.median(r[name].p99_ms for r in rounds),
            "ratio": statistics.median(ratios), "round_ratios": ratios,
            "cpu_ms_per_request": statistics.median(r[name].cpu_ms_per_request for r in rounds),
        }
    for row in rows.values():
        row["cpu_ratio"] = rows["hello"]["cpu_ms_per_request"] / row["cpu_ms_per_request"]
    growth = {
        page: rows[f"{page}-100k"]["p50_ms"] / rows[f"{page}-1k"]["p50_ms"]
        for page in ("topic", "board", "search")
    }
    return {
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "database": "postgresql" if options.database_url else "sqlite",
        "settings": {
            "workers": options.workers, "threads": options.threads, "connections": options.connections,
            "rounds": options.rounds, "duration_s": options.duration, "cpus": os.cpu_count(),
        },
        "results": rows,
        "growth_100k_over_1k_p50": growth,
        "targets": {
            "topic page ≥ 0.25 × hello": {
                name: rows[f"topic-{name}"]["ratio"] >= TOPIC_RATIO_TARGET for name in SIZES
            },
            "board page 100k ≤ 1.5 × 1k": growth["board"] <= GROWTH_TARGET,
            "search 100k ≤ 1.5 × 1k": growth["search"] <= GROWTH_TARGET,
        },
        "problems": problems,
        "valid": not problems,
    }


def _print(report: dict) -> None:
    settings = report["settings"]
    print(f"\n{report['database']}, gunicorn {settings['workers']} sync workers, wrk -t{settings['threads']} "
          f"-c{settings['connections']} -d{settings['duration_s']}s, median of {settings['rounds']} rounds\n")
    print(f"{'target':<14} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'× hello':>8} "
          f"{'CPU ms':>7} {'× hello':>8}")
    for name, row in report["results"].items():
        ratio, cpu_ratio = ("", "") if name == "hello" else (f"{row['ratio']:.3f}", f"{row['cpu_ratio']:.3f}")
        print(f"{name:<14} {row['requests_per_sec']:>9.1f} {row['p50_ms']:>8.1f} "
              f"{row['p99_ms']:>8.1f} {ratio:>8} {row['cpu_ms_per_request']:>7.2f} {cpu_ratio:>8}")
    print("(CPU ms: the server's CPU time per request, master and workers; its × hello is hello's CPU ms "
          "over the page's)")
    print("\n100k forum's p50 latency / 1k forum's: " + ", ".join(
        f"{page} {value:.2f}×" for page, value in report["growth_100k_over_1k_p50"].items()))
    for target, passed in report["targets"].items():
        verdict = passed if isinstance(passed, bool) else all(passed.values())
        print(f"{target}: {'PASS' if verdict else 'FAIL'}")
    print()


if __name__ == "__main__":
    sys.exit(main())
