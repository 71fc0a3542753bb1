"""Before/after on a busy machine: two gunicorn servers — one from another checkout (`--before`, e.g. a copy
of the code before a change), one from this one — on the same database, measured *interleaved* (request to
A, request to B, A, B ...), so that the other load on the machine hits both alike.

Usage: .venv/bin/python bench/ab.py --before /tmp/old-checkout [--scale province] [--requests 40]
Writes bench/results/ab-<scale>.json and prints a Markdown table. The database must exist (bench/run.py).
"""

import argparse
import datetime
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run  # noqa: E402  (bench/run.py: gunicorn, the signed-in HTTP client, the pages)


def timed(session, path):
    started = time.perf_counter()
    status, _, _ = session.request("GET", path)
    elapsed = time.perf_counter() - started
    if status != 200:
        raise RuntimeError(f"{path}: HTTP {status}")
    return elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", required=True, help="root of the checkout to compare against")
    parser.add_argument("--scale", default="province")
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args()
    multiplier = run.SCALES.get(args.scale) or int(args.scale)
    label = args.scale if args.scale in run.SCALES else f"x{multiplier}"
    database_url = f"{run.PG_URL}/baolam_bench_{label}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="baolam_portal.settings.production",
        DATABASE_URL=database_url,
        SECRET_KEY=run.SECRET,
        ALLOWED_HOSTS="127.0.0.1,testserver",
        BENCH_ALLOW_HTTP="1",
        REQUIRE_2FA="0",
        DB_CONN_MAX_AGE="60",
        LOG_LEVEL="WARNING",
    )
    page_list = run.pages(run.probe({"targets": True}, env))
    roots = {"before": Path(args.before).resolve(), "after": run.ROOT}
    procs, sessions = {}, {}
    try:
        for name, root in roots.items():
            port = run.free_port()
            original = run.ROOT
            run.ROOT = root  # start_gunicorn runs in run.ROOT
            try:
                procs[name] = run.start_gunicorn(env, port, original / "var" / f"bench-ab-{name}.log")
            finally:
                run.ROOT = original
            sessions[name] = {}
            for page in page_list:
                if page["user"] not in sessions[name]:
                    sessions[name][page["user"]] = run.Session(port)
                    sessions[name][page["user"]].login(page["user"])
        rows = []
        load_before = os.getloadavg()[0]
        for page in page_list:
            times = {"before": [], "after": []}
            for name in times:
                for _ in range(3):
                    timed(sessions[name][page["user"]], page["path"])
            for i in range(args.requests):
                order = ("before", "after") if i % 2 == 0 else ("after", "before")
                for name in order:
                    times[name].append(timed(sessions[name][page["user"]], page["path"]))
            row = {"name": page["name"], "path": page["path"]}
            for name, values in times.items():
                row[f"{name}_median_ms"] = round(statistics.median(values) * 1000, 1)
            row["speed_up"] = round(row["before_median_ms"] / row["after_median_ms"], 2)
            rows.append(row)
            run.log(f"{page['name']}: {row['before_median_ms']} → {row['after_median_ms']} ms")
    finally:
        for proc in procs.values():
            run.stop_gunicorn(proc)
    result = {
        "scale": label,
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "requests_per_page_and_server": args.requests,
        "load_average": {"before": round(load_before, 2), "after": round(os.getloadavg()[0], 2)},
        "pages": rows,
    }
    out = run.ROOT / "bench" / "results" / f"ab-{label}.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nInterleaved before/after, {label}, {args.requests} requests each, concurrency 1; {out.name}\n")
    print("| page | before median ms | after median ms | speed-up |")
    print("|---|---:|---:|---:|")
    for r in rows:
        print(f"| {r['name']} | {r['before_median_ms']} | {r['after_median_ms']} | {r['speed_up']}× |")


if __name__ == "__main__":
    main()
