"""Profile one page in-process with the production settings: where does the time go?

Usage (against a bench database; see bench/README.md):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/baolam_bench_province \\
    .venv/bin/python bench/profile.py /people/?q=nguyen+van --user chihuytinh [--requests 20] [--html out.html]

Prints the median wall time of the requests, the SQL time and queries of one request (slowest first, with
their SQL), and a pyinstrument call tree of all the requests (SQL, templates, forms...). Add `--explain`
to print PostgreSQL's EXPLAIN ANALYZE of each query that took more than 2 ms.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baolam_portal.settings.production")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,testserver")
os.environ.setdefault("BENCH_ALLOW_HTTP", "1")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("REQUIRE_2FA", "0")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402


class QueryTimer:
    def __init__(self):
        self.queries = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries.append((time.perf_counter() - started, sql, params))


def a_write():
    """What a committed write in a hamlet of Bảo Lâm's busiest commune does to the summaries (bench/writer.py):
    `changed(units=[hamlet])` in a transaction — its generations move, the dashboard's rows of its commune are
    marked stale and recomputed after the commit (outside the measured request)."""
    from django.db import transaction
    from django.db.models import Count

    from militia.models import MilitiaMember
    from units import freshness
    from units.models import Unit

    members = MilitiaMember.objects.filter(unit__parent__code="042")
    commune = members.values("unit").annotate(n=Count("pk")).order_by("-n", "unit").first()["unit"]
    hamlet = Unit.objects.filter(parent_id=commune).order_by("code").first()

    def write():
        with transaction.atomic():
            freshness.changed(units=[hamlet], records={"people"})  # a person edited (bench/writer.py)
        freshness.forget()

    return write


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("--user", default="chihuy")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--html", help="also write pyinstrument's HTML report here")
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--no-tree", action="store_true")
    parser.add_argument(
        "--after-write",
        action="store_true",
        help="before each request, commit what a write in a hamlet of Bảo Lâm's busiest commune does to the "
        "summaries (bench/writer.py)",
    )
    args = parser.parse_args()

    from pyinstrument import Profiler

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username=args.user))
    for _ in range(3):  # warm-up: template loader cache, content types, translations
        assert client.get(args.path).status_code == 200
    before_each = a_write() if args.after_write else (lambda: None)
    timer = QueryTimer()
    before_each()
    with connection.execute_wrapper(timer):
        started = time.perf_counter()
        client.get(args.path)
        one = time.perf_counter() - started
    sql = sum(t for t, _s, _p in timer.queries)
    print(
        f"{args.path} as {args.user}: one request {one * 1000:.1f} ms, "
        f"{len(timer.queries)} queries, SQL {sql * 1000:.1f} ms"
    )
    for elapsed, statement, params in sorted(timer.queries, key=lambda q: q[0], reverse=True)[:8]:
        print(f"  {elapsed * 1000:7.1f} ms  {statement[:300]}")
        if args.explain and elapsed > 0.002 and statement.lstrip().upper().startswith("SELECT"):
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, params)
                for (line,) in cursor.fetchall():
                    print("      " + line)
    profiler = Profiler(interval=0.0005)
    times, cpu = [], []
    for _ in range(args.requests):  # unprofiled: wall time and this process's CPU time (not the server's)
        before_each()
        started, started_cpu = time.perf_counter(), time.process_time()
        client.get(args.path)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    print(
        f"median of {args.requests} requests: {statistics.median(times) * 1000:.1f} ms wall, "
        f"{statistics.median(cpu) * 1000:.1f} ms CPU in Django (load average {os.getloadavg()[0]:.1f})"
    )
    for _ in range(args.requests):
        before_each()
        profiler.start()
        client.get(args.path)
        profiler.stop()
    if not args.no_tree:
        print(profiler.output_text(unicode=True, color=False, show_all=False))
    if args.html:
        Path(args.html).write_text(profiler.output_html(), encoding="utf-8")


if __name__ == "__main__":
    main()
