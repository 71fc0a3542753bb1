"""`make loadtest`: 50 simulated users for 2 minutes against gunicorn (production settings) on 127.0.0.1
with PostgreSQL and demo data at a scale. See loadtest/README.md.

Usage: .venv/bin/python loadtest/run.py [--scale province|district|N] [--users 50] [--spawn-rate 10]
                                        [--time 2m] [--prepare-only] [--reseed]
"""

import argparse
import csv
import json
import re
import subprocess
import sys
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import (  # noqa: E402  (the benchmark's helpers: one way to seed and serve)
    PG_URL,
    SCALES,
    base_environment,
    environments,
    free_port,
    manage,
    recreate_database,
    start_gunicorn,
    stop_gunicorn,
)

PY = sys.executable
RESULTS = ROOT / "var" / "loadtest"


def log(message):
    print(f"[loadtest {time.strftime('%H:%M:%S')}] {message}", flush=True)


def database_exists(name):
    with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


def people_count(name):
    try:
        with psycopg.connect(f"{PG_URL}/{name}") as conn:
            return conn.execute("SELECT count(*) FROM people_person").fetchone()[0]
    except psycopg.Error:
        return 0


def prepare_database(name, multiplier, label, dev_env, *, reseed):
    """The load test writes (draft saves), so it has a database of its own: `baolam_loadtest_<scale>`.
    It is cloned from the benchmark's `baolam_bench_<scale>` when that exists, seeded otherwise."""
    expected = 3000 * multiplier
    if not reseed and database_exists(name) and people_count(name) >= expected * 0.9:
        log(f"reusing {name} ({people_count(name)} people)")
    else:
        bench = f"baolam_bench_{label}"
        if not reseed and database_exists(bench) and people_count(bench) >= expected * 0.9:
            log(f"cloning {bench} into {name}")
            with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{bench}"')
        else:
            log(f"recreating {name}; seed_demo --scale {multiplier} (province scale takes a few minutes)")
            recreate_database(name)
            manage(["migrate", "--noinput", "-v", "0"], dev_env, timeout=600)
            manage(["seed_demo", "--scale", str(multiplier), "--quiet"], dev_env, timeout=3600)
            with psycopg.connect(f"{PG_URL}/{name}", autocommit=True) as conn:
                conn.execute("VACUUM ANALYZE")
    # Code newer than the database (a reused or cloned one): apply its migrations; the seeder is idempotent
    # and fills what a newer seeder adds (e.g. reports), without touching what exists.
    manage(["migrate", "--noinput", "-v", "0"], dev_env, timeout=600)


def probe(env):
    out = subprocess.run(  # noqa: S603 (our own script)
        [PY, str(ROOT / "loadtest" / "probe.py")], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    if out.returncode:
        sys.stderr.write(out.stderr)
        raise SystemExit("loadtest: probe failed")
    return json.loads(out.stdout.strip().splitlines()[-1])


def ms(text):
    try:
        return round(float(text))
    except ValueError:
        return text  # "N/A" when nothing was measured


def summary(prefix):
    """The totals of locust's CSV files: requests, failures, 5xx, median and p95, and the slowest names."""
    with open(f"{prefix}_stats.csv", encoding="utf-8") as source:
        rows = list(csv.DictReader(source))
    failures = []
    failures_file = Path(f"{prefix}_failures.csv")
    if failures_file.exists():
        with failures_file.open(encoding="utf-8") as source:
            failures = list(csv.DictReader(source))
    server_errors = sum(int(f["Occurrences"]) for f in failures if re.search(r"HTTP 5\d\d|HTTPError\('5", f["Error"]))
    total = next(r for r in rows if r["Name"] == "Aggregated")
    lines = [
        "| request | count | failures | median ms | p95 ms | max ms | req/s |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['Type']} {r['Name']} | {r['Request Count']} | {r['Failure Count']} "
            f"| {ms(r['Median Response Time'])} | {ms(r['95%'])} | {ms(r['Max Response Time'])} "
            f"| {float(r['Requests/s']):.1f} |"
        )
    return {
        "requests": int(total["Request Count"]),
        "failures": int(total["Failure Count"]),
        "server_errors": server_errors,
        "median_ms": ms(total["Median Response Time"]),
        "p95_ms": ms(total["95%"]),
        "rps": round(float(total["Requests/s"]), 1),
        "table": "\n".join(lines),
        "failure_samples": [f"{f['Method']} {f['Name']}: {f['Error']} ×{f['Occurrences']}" for f in failures[:10]],
    }


def steady_state(prefix, *, after_s=None):
    """Median and p95 of the requests that started `after_s` seconds after the first one (past the ramp-up
    and the sign-in storm) — or, without `after_s`, after the last user's sign-in was answered (every user
    spawned and signed in: the end of the ramp-up, however long the sign-ins queued)."""
    path = Path(f"{prefix}_requests.tsv")
    if not path.exists():
        return None
    rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines() if line]
    if not rows:
        return None
    start = float(rows[0][0])
    if after_s is None:
        signed_in = [float(at) for at, _ms, _failed, name in rows if name.endswith("sign in")]
        if not signed_in:
            return None
        after_s = round(max(signed_in) - start, 1)
    times = sorted(float(ms) for at, ms, _failed, _name in rows if float(at) - float(ms) / 1000 - start >= after_s)
    if not times:
        return None
    return {
        "after_s": after_s,
        "requests": len(times),
        "median_ms": round(times[len(times) // 2]),
        "p95_ms": round(times[max(0, -(-95 * len(times) // 100) - 1)]),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="province", help="district (1), province (34) or a multiplier")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=int, default=10)
    parser.add_argument("--time", default="2m")
    parser.add_argument("--prepare-only", action="store_true", help="create/seed the database and stop")
    parser.add_argument("--reseed", action="store_true", help="drop and seed the database again")
    args = parser.parse_args()
    multiplier = SCALES.get(args.scale) or int(args.scale)
    label = args.scale if args.scale in SCALES else f"x{multiplier}"
    dbname = f"baolam_loadtest_{label}"
    database_url = f"{PG_URL}/{dbname}"
    # 50 users sign in within seconds from one address: the lock-out counts failures only, but keep it
    # out of the measurement all the same.
    dev_env, prod_env = environments(database_url, AXES_FAILURE_LIMIT="1000")
    prepare_database(dbname, multiplier, label, dev_env, reseed=args.reseed)
    if args.prepare_only:
        return 0
    if not (ROOT / "var" / "staticfiles" / "staticfiles.json").exists():
        log("collectstatic into var/staticfiles")
        manage(["collectstatic", "--noinput", "-v", "0"], prod_env, timeout=300)
    targets = probe(prod_env)
    log(
        f"{targets['people']} people; {len(targets['officers'])} commune officers; "
        f"period {targets['period']}; campaign {targets['campaign']}"
    )
    RESULTS.mkdir(parents=True, exist_ok=True)
    prefix = RESULTS / label
    port = free_port()
    logfile = ROOT / "var" / f"loadtest-gunicorn-{label}.log"
    proc = None
    try:
        log(f"starting gunicorn -w 2 on 127.0.0.1:{port} (log: {logfile.relative_to(ROOT)})")
        proc = start_gunicorn(prod_env, port, logfile)
        locust = str(Path(PY).with_name("locust"))
        cmd = [
            locust,
            "-f",
            str(ROOT / "loadtest" / "locustfile.py"),
            "--headless",
            "-u",
            str(args.users),
            "-r",
            str(args.spawn_rate),
            "-t",
            args.time,
            "--host",
            f"http://127.0.0.1:{port}",
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ]
        log(f"locust: {args.users} users, spawn rate {args.spawn_rate}/s, {args.time}")
        env = {
            **base_environment(),
            "LOADTEST_TARGETS": json.dumps(targets),
            "LOADTEST_REQUESTS_FILE": f"{prefix}_requests.tsv",
        }
        subprocess.run(cmd, cwd=ROOT, env=env, check=False, timeout=3600)  # noqa: S603 (our own tool)
    finally:
        stop_gunicorn(proc)
        log("gunicorn stopped")
    result = summary(prefix)
    print()
    print(f"Scale {label}: {targets['people']} people, {args.users} users for {args.time}, 2 gunicorn workers")
    print()
    print(result["table"])
    print()
    print(
        f"Total: {result['requests']} requests, {result['failures']} failures, {result['server_errors']} 5xx, "
        f"median {result['median_ms']} ms, p95 {result['p95_ms']} ms, {result['rps']} req/s"
    )
    steady = steady_state(prefix, after_s=30)
    if steady:
        result["steady_state"] = steady
        print(
            f"After the first {steady['after_s']} s (ramp-up and sign-ins): {steady['requests']} requests, "
            f"median {steady['median_ms']} ms, p95 {steady['p95_ms']} ms"
        )
    signed_in = steady_state(prefix)
    if signed_in:
        result["after_sign_ins"] = signed_in
        print(
            f"After every user signed in ({signed_in['after_s']} s): {signed_in['requests']} requests, "
            f"median {signed_in['median_ms']} ms, p95 {signed_in['p95_ms']} ms"
        )
    for sample in result["failure_samples"]:
        print(f"  failure: {sample}")
    (RESULTS / f"{label}.json").write_text(
        json.dumps({k: v for k, v in result.items() if k != "table"}, indent=2) + "\n", encoding="utf-8"
    )
    return 1 if result["failures"] or result["server_errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
