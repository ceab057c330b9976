"""Forum page weight and cost: a discussion with 200 replies, against one with a single reply
(the baseline, same run).  Prints, for each page: SQL queries, server time p50 / p95 over 30
renders, and transfer size with every asset it loads, gzip-compressed as a proxy would send it,
against the 100 KB budget; and a forum's list of discussions against a forum with one.

    .venv/bin/python benchmarks/forum.py          # 200 replies, 30 renders each
    .venv/bin/python benchmarks/forum.py --smoke  # 60 replies, 3 renders (CI)

Either way it fails (exit status 1) when a page's queries grow with the discussion's length or
the forum's, when a page is over the 100 KB budget, or when the pages do not show every post
exactly once (and the list a full page of discussions).  Speed is not judged.
"""

import argparse
import gzip
import logging
import os
import random
import re
import statistics
import time

from _setup import django_ready

django_ready()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from page_weight import BUDGET, weigh  # noqa: E402

from rabta.accounts.roles import Role  # noqa: E402
from rabta.accounts.tests.factories import (  # noqa: E402
    ContributorProfileFactory,
    EngineerProfileFactory,
    user_with_role,
)
from rabta.community import services  # noqa: E402
from rabta.community.models import Category, Member, TrustLevel  # noqa: E402
from rabta.community.selectors import POSTS_PER_PAGE, THREADS_PER_PAGE  # noqa: E402

WORDS = [
    "inverter",
    "ratio",
    "panel",
    "string",
    "voltage",
    "client",
    "proposal",
    "drawing",
    "review",
    "load",
    "margin",
    "site",
    "design",
    "contract",
    "milestone",
    "hourly",
    "fixed",
    "scope",
    "delivery",
    "feedback",
    "standard",
    "code",
    "check",
]


def reply_text(rng: random.Random) -> str:
    """A realistic reply: two short paragraphs, sometimes a list, a link or code."""
    words = [rng.choice(WORDS) for _n in range(rng.randint(30, 70))]
    text = " ".join(words[:20]).capitalize() + ".\n\n" + " ".join(words[20:]) + "."
    if rng.random() < 0.3:
        text += "\n\n- **first**: check the datasheet\n- *second*: ask the client"
    if rng.random() < 0.2:
        text += "\n\nSee [the guide](https://example.org/guide)."
    if rng.random() < 0.1:
        text += "\n\n`DC/AC = 1.2`"
    return text


def queries_of(client: Client, url: str) -> int:
    # counted by a wrapper on the connection: the request closes and reopens the connection,
    # which a captured query log would not survive
    queries: list[str] = []

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return len(queries)


def measure(client: Client, url: str, runs: int) -> tuple[int, float, float]:
    queries = queries_of(client, url)
    times = []
    for _n in range(runs):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return queries, statistics.median(times), times[int(0.95 * (len(times) - 1))]


def posts_shown(html: bytes) -> list[int]:
    return [int(n) for n in re.findall(rb'<article class="card post[^"]*" id="post-(\d+)"', html)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="small and quick, for CI")
    args = parser.parse_args()
    replies, runs, contributors, engineers = (60, 3, 8, 4) if args.smoke else (200, 30, 30, 10)
    discussions = THREADS_PER_PAGE + 10  # a full first page of discussions in the forum
    print(f"load average {os.getloadavg()[0]:.2f}")
    logging.getLogger("celery").setLevel(logging.WARNING)  # one line per notification task
    rng = random.Random(8)
    people = [ContributorProfileFactory().user for _n in range(contributors)]
    people += [EngineerProfileFactory().user for _n in range(engineers)]
    for person in people:
        member = services.member_ensure(user=person)
        Member.objects.filter(pk=member.pk).update(
            trust_level=TrustLevel.TRUSTED, trust_locked=True
        )
    category = Category.objects.get(slug="freelancing")
    quiet = Category.objects.get(slug="careers")  # a forum with one discussion: the baseline
    baseline = services.thread_create(
        user=people[0], category=quiet, title="A short discussion", body=reply_text(rng)
    )
    services.reply_create(user=people[1], thread=baseline, body=reply_text(rng))
    long = services.thread_create(
        user=people[0],
        category=category,
        title="Your first international engagement: share how you got it",
        body=reply_text(rng),
    )
    for n in range(replies):
        author = people[(n % (len(people) - 1)) + 1]
        services.reply_create(user=author, thread=long, body=reply_text(rng))
    for n in range(discussions):
        services.thread_create(
            user=people[n % len(people)],
            category=category,
            title=f"Discussion {n}",
            body=reply_text(rng),
        )

    reader = EngineerProfileFactory().user
    moderator = user_with_role(Role.MODERATOR)
    posts = replies + 1
    last = (posts - 1) // POSTS_PER_PAGE + 1
    thread, short = f"/community/threads/{long.pk}/", f"/community/threads/{baseline.pk}/"
    pages = [
        ("thread, 1 reply (baseline)", short, reader),
        (f"thread, {replies} replies, page 1", thread, reader),
        (f"thread, {replies} replies, page {last}", f"{thread}?page={last}", reader),
        (f"thread, {replies} replies, moderator", thread, moderator),
        ("forum list, 1 discussion (baseline)", "/community/forums/careers/", reader),
        (f"forum list ({THREADS_PER_PAGE} discussions)", "/community/forums/freelancing/", reader),
    ]
    client = Client()
    rows = []
    for label, url, viewer in pages:
        client.force_login(viewer)
        queries, p50, p95 = measure(client, url, runs)
        compressed, raw, parts = weigh(client, url)
        html = client.get(url).content
        rows.append((label, queries, p50, p95, compressed, raw, len(gzip.compress(html, 9))))
    base = rows[0]
    failures = []
    client.force_login(moderator)
    moderator_base = queries_of(client, short)
    for label, queries, *_rest in rows[1:3]:
        if queries != base[1]:
            failures.append(f"{label}: {queries} queries, {base[1]} with one reply")
    if rows[3][1] != moderator_base:
        failures.append(f"{rows[3][0]}: {rows[3][1]} queries, {moderator_base} with one reply")
    if rows[5][1] != rows[4][1]:
        failures.append(f"{rows[5][0]}: {rows[5][1]} queries, {rows[4][1]} with one")
    failures += [f"{row[0]} is over the 100 KB budget" for row in rows if row[4] > BUDGET]
    client.force_login(reader)
    print(
        f"{'page':34} {'queries':>7} {'p50 ms':>7} {'p95 ms':>7} {'html gz':>8} {'total gz':>9} "
        f"{'raw':>8}  vs baseline / budget"
    )
    for label, queries, p50, p95, compressed, raw, html_gz in rows:
        print(
            f"{label:34} {queries:7d} {p50:7.1f} {p95:7.1f} {html_gz / 1024:6.1f}KB "
            f"{compressed / 1024:7.1f}KB {raw / 1024:6.1f}KB  "
            f"x{compressed / base[4]:.2f} size, x{p50 / base[2]:.2f} time; "
            f"{compressed / BUDGET:.0%} of 100 KB"
        )
    html_pages = [client.get(f"{thread}?page={n}").content for n in range(1, last + 1)]
    all_pages = sum(len(gzip.compress(html, 9)) for html in html_pages)
    print(
        f"reading all {posts} posts ({last} pages of HTML, assets cached): "
        f"{all_pages / 1024:.1f} KB gz"
    )
    shown = [posts_shown(html) for html in html_pages]
    if sorted(n for page in shown for n in page) != list(range(1, posts + 1)):
        failures.append(f"the {last} pages do not show posts 1 to {posts} once each")
    if len(shown[0]) != min(posts, POSTS_PER_PAGE):
        failures.append(f"page 1 shows {len(shown[0])} posts, not {POSTS_PER_PAGE}")
    listed = re.findall(
        rb'<tr><td><a href="/community/threads/\d+/"', client.get(pages[5][1]).content
    )
    if len(listed) != THREADS_PER_PAGE:
        failures.append(f"the forum list shows {len(listed)} discussions, not {THREADS_PER_PAGE}")
    if failures:
        raise SystemExit("FAILED:\n  " + "\n  ".join(failures))
    print("checks passed: queries flat, under budget, every post shown once, a full list")


if __name__ == "__main__":
    main()
