"""Machine translation, for operators: installing and removing the translation models (Argos
Translate packs, machine/packs.py), and what the server can translate and has translated."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Count, Sum
from django.http import Http404

from internationale.core.actors import ActorLike, as_actor
from internationale.core.audit import audit
from internationale.core.services import require

from .machine import packs
from .machine.backends import configured
from .models import LanguageVersion, Segment


def model_install(*, actor: ActorLike, path: Path) -> packs.Installed:
    """Check, unpack and try an Argos Translate pack (packs.install); audited."""
    require(actor, "translation.manage_models")
    done = packs.install(path)
    try:
        with transaction.atomic():
            audit(
                actor=actor,
                action="translation.model_install",
                pair=done.pack.pair,
                version=done.pack.version,
                licence=done.pack.licence_summary,
                file=done.pack.file_name,
            )
    except Exception:
        packs.remove(done.pack.pair)
        raise
    return done


def model_remove(*, actor: ActorLike, pair: str) -> packs.Pack:
    """Remove an installed pack, and the segments it translated (a pack installed again, another
    version perhaps, translates them afresh); audited."""
    require(actor, "translation.manage_models")
    pack = packs.remove(pair)
    with transaction.atomic():
        Segment.objects.filter(
            backend="argos",
            source_language=packs.primary(pack.source),
            target_language=packs.primary(pack.target),
        ).delete()
        audit(
            actor=actor,
            action="translation.model_remove",
            pair=pack.pair,
            version=pack.version,
        )
    return pack


@dataclass
class PairRow:
    backend: str
    source: str
    target: str
    version: str = ""
    licence: str = ""
    licence_from: str = ""
    installed_at: str = ""
    segments: int = 0
    characters: int = 0


@dataclass
class MachineOverview:
    pairs: list[PairRow]
    versions_by_status: dict[str, int]
    versions_by_language: list[tuple[str, dict[str, int]]]
    backends: list[str] = field(default_factory=list)


def pair_rows() -> list[PairRow]:
    """The pairs each configured backend translates directly, with the version and licence of
    installed packs and how many segments each translated: for the operators' page and the
    command line (`internationale translation list`), which check who asks themselves."""
    done = {
        (row["backend"], row["source_language"], row["target_language"]): row
        for row in Segment.objects.values("backend", "source_language", "target_language").annotate(
            segments=Count("id"), characters=Sum("characters")
        )
    }
    installed = {(packs.primary(p.source), packs.primary(p.target)): p for p in packs.installed()}
    rows = []
    for backend in configured():
        for source, target in sorted(backend.pairs()):
            row = PairRow(backend.name, source, target)
            pack = installed.get((source, target)) if backend.name == "argos" else None
            if pack is not None:
                row.version, row.licence, row.licence_from = (
                    pack.version,
                    pack.licence_summary,
                    pack.licence_from,
                )
                row.installed_at = pack.installed_at
            made = done.get((backend.name, source, target))
            if made:
                row.segments, row.characters = made["segments"], made["characters"] or 0
            rows.append(row)
    return rows


def machine_overview(*, viewer: Any) -> MachineOverview:
    """For operators (404 for anyone else): the pairs each backend translates directly, with the
    licence of installed packs, how many segments each translated, and the language versions on
    the server by status and language (counts only: no content)."""
    if not as_actor(viewer).has_perm("translation.view_models"):
        raise Http404
    rows = pair_rows()
    by_status = Counter(
        dict(LanguageVersion.objects.values_list("status").annotate(n=Count("id")).order_by())
    )
    by_language: dict[str, dict[str, int]] = {}
    for language, status, count in (
        LanguageVersion.objects.values_list("language", "status")
        .annotate(n=Count("id"))
        .order_by("language", "status")
    ):
        by_language.setdefault(language, {})[status] = count
    return MachineOverview(
        pairs=rows,
        versions_by_status={s: by_status.get(s, 0) for s in LanguageVersion.Status.values},
        versions_by_language=sorted(by_language.items()),
        backends=[b.name for b in configured()],
    )
