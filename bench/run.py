"""`make bench`: seed a PostgreSQL database at a scale, serve it with gunicorn and the production settings,
and measure the key pages as a signed-in user. See bench/README.md.

Usage: .venv/bin/python bench/run.py [--scale district|province|N] [--requests 50] [--concurrency 2] [--reuse-db]
                                    [--label NAME] [--scale-out]
"""

import argparse
import datetime
import http.client
import json
import os
import platform
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
SCALES = {"district": 1, "province": 34}
PASSWORD = os.environ.get("DEMO_PASSWORD", "baolam-demo")
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
SECRET = "bench-only-secret-key-not-for-production-0123456789-abcdefghijklmnopqrstuvwxyz"
FLOOR = "floor"
TIMEOUT = 30  # seconds for one HTTP request


def log(message):
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


# -- database ---------------------------------------------------------------------------------------------


def recreate_database(name):
    with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def manage(args, env, *, timeout):
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True, timeout=timeout)


# -- gunicorn ---------------------------------------------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(env, port, logfile):
    gunicorn = str(Path(PY).with_name("gunicorn"))
    cmd = [gunicorn, "baolam_portal.wsgi", "-w", "2", "-b", f"127.0.0.1:{port}", "--timeout", "60"]
    out = open(logfile, "w")  # noqa: SIM115 (closed by stop_gunicorn)
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    proc.logfile = out
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {proc.returncode}; see {logfile}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer /healthz within 30 s; see {logfile}")


def stop_gunicorn(proc):
    if proc is None:
        return
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)
    proc.logfile.close()


# -- HTTP client ------------------------------------------------------------------------------------------


class Session:
    """A signed-in browser reduced to its cookies; one HTTP connection per thread (gunicorn sync workers
    close it after each response, http.client reopens it)."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}
        self.local = threading.local()

    def _conn(self):
        if getattr(self.local, "conn", None) is None:
            self.local.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
        return self.local.conn

    def request(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn = self._conn()
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            conn.close()
            self.local.conn = None
            raise
        for header in response.headers.get_all("Set-Cookie") or []:
            for key, morsel in SimpleCookie(header).items():
                self.cookies[key] = morsel.value
        if response.headers.get("Connection", "").lower() == "close":
            conn.close()
        return response.status, response.headers, data

    def login(self, username):
        status, _, page = self.request("GET", "/login/")
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or not match:
            raise RuntimeError(f"login page: HTTP {status}, no CSRF token")
        body = urllib.parse.urlencode(
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": match.group(1).decode()}
        )
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        status, _, _ = self.request("POST", "/login/", body, headers)
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"login of {username} failed: HTTP {status}")


def measure(session, path, *, requests, concurrency, warmup=3, before_each=None):
    """Median, 95th percentile and throughput of `requests` GETs; `before_each()` runs before each one,
    outside the timing (the "after a write" pages move the generations of a hamlet there)."""
    for _ in range(warmup):
        session.request("GET", path)
    latencies, errors = [], []
    lock = threading.Lock()
    remaining = [requests]

    def worker():
        while True:
            with lock:
                if remaining[0] <= 0:
                    return
                remaining[0] -= 1
            if before_each is not None:
                before_each()
            started = time.perf_counter()
            try:
                status, _, _ = session.request("GET", path)
            except (OSError, http.client.HTTPException) as exc:
                status = repr(exc)
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if status != 200:
                    errors.append(status)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    latencies.sort()
    p95 = latencies[max(0, -(-95 * len(latencies) // 100) - 1)]  # nearest rank
    return {
        "requests": len(latencies),
        "errors": len(errors),
        "error_samples": [str(e) for e in errors[:3]],
        "median_ms": round(statistics.median(latencies) * 1000, 1),
        "p95_ms": round(p95 * 1000, 1),
        "rps": round(len(latencies) / wall, 1),
    }


# -- pages ------------------------------------------------------------------------------------------------


def pages(targets):
    # `reader` sees every person of the database: the district commander at district scale, the province
    # commander at province scale (the people pages then list all ~100,000 people, like the admin).
    campaign, commune, reader = targets["campaign"], targets["commune"], targets["reader"]
    return [
        {"name": FLOOR, "path": "/ping", "user": "chihuy", "kind": "floor"},
        {"name": "dashboard", "path": "/", "user": "chihuy", "kind": "dashboard"},
        # The same pages when every request follows a write somewhere in the records: nothing cached
        # (units.freshness) can be used, every summary is computed again.
        # The same pages when every request follows a write in a hamlet of Bảo Lâm's busiest commune (the
        # generations of that hamlet, its commune, Bảo Lâm and the province move: units.freshness): every
        # summary of those units is computed again, what the write did not touch is read from the cache.
        {"name": "dashboard, after a write", "path": "/", "user": "chihuy", "kind": "dashboard", "cold": "here"},
        *(
            # A write in another district: the district commander's summaries stay good.
            [
                {
                    "name": "dashboard, after a write in another district",
                    "path": "/",
                    "user": "chihuy",
                    "kind": "dashboard",
                    "cold": "elsewhere",
                }
            ]
            if targets.get("write_units", {}).get("elsewhere")
            else []
        ),
        {"name": "people list", "path": "/people/", "user": reader, "kind": "list"},
        {"name": "people list, after a write", "path": "/people/", "user": reader, "kind": "list", "cold": "here"},
        {"name": "people search", "path": "/people/?q=nguyen+van", "user": reader, "kind": "search"},
        {"name": "militia roster", "path": f"/militia/members/?commune={commune}", "user": "chihuy", "kind": "list"},
        {
            "name": "militia roster, after a write",
            "path": f"/militia/members/?commune={commune}",
            "user": "chihuy",
            "kind": "list",
            "cold": "here",
        },
        {
            "name": "candidate list",
            "path": f"/recruitment/campaigns/{campaign}/candidates/",
            "user": "chihuy",
            "kind": "list",
        },
        {"name": "campaign page", "path": f"/recruitment/campaigns/{campaign}/", "user": "chihuy", "kind": "detail"},
        {
            "name": "campaign page, after a write",
            "path": f"/recruitment/campaigns/{campaign}/",
            "user": "chihuy",
            "kind": "detail",
            "cold": "here",
        },
        {"name": "report inbox", "path": "/reports/inbox/", "user": "chihuy", "kind": "list"},
        {
            "name": "completeness page",
            "path": f"/reports/periods/{targets['period']}/",
            "user": reader,
            "kind": "list",
        },
        {"name": "district report page", "path": f"/reports/{targets['report']}/", "user": "chihuy", "kind": "detail"},
        {
            "name": "district report page, after a write",
            "path": f"/reports/{targets['report']}/",
            "user": "chihuy",
            "kind": "detail",
            "cold": "here",
        },
        {
            "name": "district report .docx",
            "path": f"/reports/{targets['report']}/export.docx",
            "user": "chihuy",
            "kind": "document",
        },
        {"name": "admin people changelist", "path": "/admin/people/person/", "user": "admin", "kind": "reference"},
        {
            "name": "admin people search",
            "path": "/admin/people/person/?q=nguyen+van",
            "user": "admin",
            "kind": "reference",
        },
    ]


def probe(payload, env):
    out = subprocess.run(
        [PY, str(ROOT / "bench" / "probe.py")],
        cwd=ROOT,
        env=env,
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


# -- report -----------------------------------------------------------------------------------------------


def table(results):
    lines = [
        "| page | path | median ms | p95 ms | req/s | SQL queries | × floor | × cached (one at a time) | errors |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results["pages"]:
        cached = f"{r['x_cached']} (cached {r['cached_median_ms']} ms)" if "x_cached" in r else ""
        lines.append(
            f"| {r['name']} | `{r['path']}` | {r['median_ms']} | {r['p95_ms']} | {r['rps']} | "
            f"{r['queries']} | {r['x_floor']} | {cached} | {r['errors']} |"
        )
    return "\n".join(lines)


def scale_out(database_url, env):
    """tests/test_scale_out.py: two gunicorn nodes, one PostgreSQL server, one session (pytest makes and drops
    its own test database on the same server)."""
    pytest = str(Path(PY).with_name("pytest"))
    cmd = [pytest, "-q", "-p", "no:cacheprovider", "tests/test_scale_out.py", "-k", "session_started"]
    started = time.monotonic()
    result = subprocess.run(cmd, cwd=ROOT, env={**env, "DATABASE_URL": database_url}, timeout=600, check=False)
    return {"passed": result.returncode == 0, "seconds": round(time.monotonic() - started, 1)}


def base_environment():
    """This process's environment without any Django settings or database of its own."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}


def environments(database_url, **extra):
    """The seeding (dev settings) and serving (production settings, plain HTTP on loopback) environments
    of a measured database; `extra` adds variables to the serving one."""
    base_env = base_environment()
    dev_env = {**base_env, "DJANGO_SETTINGS_MODULE": "baolam_portal.settings.dev", "DATABASE_URL": database_url}
    prod_env = {
        **base_env,
        "DJANGO_SETTINGS_MODULE": "baolam_portal.settings.production",
        "DATABASE_URL": database_url,
        "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "BENCH_ALLOW_HTTP": "1",
        # The demo accounts sign in with a password only; production makes commanders enrol a second factor.
        "REQUIRE_2FA": "0",
        "DB_CONN_MAX_AGE": os.environ.get("DB_CONN_MAX_AGE", "60"),
        "LOG_LEVEL": "WARNING",
        **extra,
    }
    return dev_env, prod_env


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="district", help="district (1), province (34) or a multiplier")
    parser.add_argument("--requests", type=int, default=50, help="measured requests per page")
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--reuse-db", action="store_true", help="skip drop/create/migrate/seed (still migrates)")
    parser.add_argument("--label", help="results file name (default: the scale), e.g. province-before")
    parser.add_argument("--scale-out", action="store_true", help="also run the two-node session test")
    args = parser.parse_args()
    multiplier = SCALES.get(args.scale) or int(args.scale)
    label = args.scale if args.scale in SCALES else f"x{multiplier}"
    out_label = args.label or label
    dbname = f"baolam_bench_{label}"
    database_url = f"{PG_URL}/{dbname}"
    dev_env, prod_env = environments(database_url)
    timings = {}
    started = time.monotonic()
    if not args.reuse_db:
        log(f"recreating database {dbname}")
        recreate_database(dbname)
        t = time.monotonic()
        manage(["migrate", "--noinput", "-v", "0"], dev_env, timeout=600)
        timings["migrate_s"] = round(time.monotonic() - t, 1)
        log(f"seeding: seed_demo --scale {multiplier}")
        t = time.monotonic()
        # About 7 s per 3,000 people on this machine: allow half an hour, more for a national-size seed.
        manage(["seed_demo", "--scale", str(multiplier)], dev_env, timeout=max(1800, 15 * multiplier))
        timings["seed_s"] = round(time.monotonic() - t, 1)
    else:
        # A reused database still gets the migrations added since it was seeded (new tables, indexes).
        manage(["migrate", "--noinput", "-v", "0"], dev_env, timeout=600)
    # Fresh bulk-loaded tables have no planner statistics until autovacuum gets to them: measure the
    # steady state a running deployment would be in, not the first minute after an import.
    log("VACUUM ANALYZE")
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    if not (ROOT / "var" / "staticfiles" / "staticfiles.json").exists():
        log("collectstatic into var/staticfiles")
        manage(["collectstatic", "--noinput", "-v", "0"], prod_env, timeout=300)
    with psycopg.connect(database_url) as conn:
        counts = {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608 (fixed names)
            for table in ("people_person", "militia_militiamember", "recruitment_candidate", "units_unit")
        }
    log(f"rows: {counts}")
    targets = probe({"targets": True}, prod_env)
    page_list = pages(targets)
    log("counting SQL queries per page (Django test client, same database and settings)")
    probed = probe({"pages": page_list, "password": PASSWORD, "write_units": targets["write_units"]}, prod_env)
    load_before = os.getloadavg()

    port = free_port()
    logfile = ROOT / "var" / f"bench-gunicorn-{label}.log"
    proc = None
    measured = []
    try:
        log(f"starting gunicorn -w 2 on 127.0.0.1:{port} (log: {logfile.relative_to(ROOT)})")
        proc = start_gunicorn(prod_env, port, logfile)
        sessions = {}
        for page in page_list:
            if page["user"] not in sessions:
                sessions[page["user"]] = Session(port)
                sessions[page["user"]].login(page["user"])
        # The writes of the "after a write" rows, committed by a Django process of their own (bench/writer.py).
        writer = subprocess.Popen(
            [PY, str(ROOT / "bench" / "writer.py")],
            cwd=ROOT,
            env=prod_env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        writer.stdin.write(json.dumps(targets["write_units"]) + "\n")

        writing = threading.Lock()

        def a_write(where):
            with writing:
                writer.stdin.write(where + "\n")
                writer.stdin.flush()
                if writer.stdout.readline().strip() != "ok":
                    raise RuntimeError("bench/writer.py stopped")

        for page in page_list:
            session = sessions[page["user"]]
            if page.get("cold"):
                # After a write: one request at a time, each right after its write has committed (the write's
                # own work, refreshing the summary table, is then not running beside the measured request),
                # compared with the same page read again from the cache one request at a time.
                log(f"{page['name']}: {args.requests} requests without, then with a write before each, one at a time")
                cached = measure(session, page["path"], requests=args.requests, concurrency=1)
                stats = measure(
                    session,
                    page["path"],
                    requests=args.requests,
                    concurrency=1,
                    before_each=lambda where=page["cold"]: a_write(where),
                )
                stats["cached_median_ms"] = cached["median_ms"]
                stats["x_cached"] = round(stats["median_ms"] / (cached["median_ms"] or 0.1), 1)
            else:
                log(f"{page['name']}: {args.requests} requests, concurrency {args.concurrency}")
                stats = measure(session, page["path"], requests=args.requests, concurrency=args.concurrency)
            measured.append({**page, **stats, "queries": probed["queries"][page["name"]]})
        writer.stdin.close()
        writer.wait(timeout=30)
    finally:
        stop_gunicorn(proc)
        log("gunicorn stopped")

    load_after = os.getloadavg()
    floor = measured[0]["median_ms"] or 0.1
    for r in measured:
        r["x_floor"] = round(r["median_ms"] / floor, 1)
    results = {
        "scale": label,
        "seed_scale": multiplier,
        "database": dbname,
        "rows": counts,
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
        },
        "settings": {
            "gunicorn_workers": 2,
            "requests_per_page": args.requests,
            "concurrency": args.concurrency,
            "DB_CONN_MAX_AGE": prod_env["DB_CONN_MAX_AGE"],
        },
        # Other work on the machine skews the latencies: the 1-minute load average before and after.
        "load_average": {"before": round(load_before[0], 2), "after": round(load_after[0], 2)},
        "timings": {**timings, "total_s": round(time.monotonic() - started, 1)},
        "pages": measured,
    }
    if args.scale_out:
        log("scale-out: tests/test_scale_out.py (two gunicorn nodes, one database)")
        results["scale_out"] = scale_out(f"{PG_URL}/baolam_bench_scaleout", base_environment())
        log(f"scale-out: {'passed' if results['scale_out']['passed'] else 'FAILED'}")
    out = ROOT / "bench" / "results" / f"{out_label}.json"
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print()
    print(
        f"Scale {label}: {counts['people_person']} people; load average {load_before[0]:.1f} → {load_after[0]:.1f}; "
        f"results in {out.relative_to(ROOT)}"
    )
    print()
    print(table(results))
    bad = [r["name"] for r in measured if r["errors"]]
    if args.scale_out and not results["scale_out"]["passed"]:
        print("\nThe scale-out test failed.")
        return 1
    if bad:
        print(f"\nPages with errors (non-200 answers): {', '.join(bad)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
