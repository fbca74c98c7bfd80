"""Argos Translate packs made on the spot, for the tests and the benchmark: a real CTranslate2
Transformer (built with ctranslate2's own model specification, weights drawn at random: it
"translates" every sentence into a run of one word) and a real SentencePiece tokenizer trained on a
few sentences, zipped as an `.argosmodel` the way Argos Translate packs are. Nothing downloaded.

`pack(path, ...)` writes a valid pack; its keyword arguments change one thing to make it invalid.
"""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from pathlib import Path
from typing import Any

CORPUS = [
    "the workers of the world unite",
    "a strike at the port since monday",
    "solidarity with the dockers and their union",
    "we stand together for wages and rights",
    "the union calls for a general strike",
    "os trabalhadores estão em greve",
]
WORD = "▁strike"  # the word the random model is pushed towards (a piece of the tokenizer)


def tokenizer(vocab_size: int = 80) -> bytes:
    import sentencepiece

    model = io.BytesIO()
    sentencepiece.SentencePieceTrainer.train(
        sentence_iterator=iter(CORPUS * 20),
        model_writer=model,
        vocab_size=vocab_size,
        model_type="unigram",
        hard_vocab_limit=False,
        minloglevel=2,
    )
    return model.getvalue()


def model_dir(
    out: Path, tokenizer_model: bytes, layers: int = 1, width: int = 16, heads: int = 2
) -> None:
    """A CTranslate2 Transformer with random weights, its vocabulary the tokenizer's pieces."""
    import numpy as np
    import sentencepiece
    from ctranslate2.specs import transformer_spec

    processor = sentencepiece.SentencePieceProcessor(model_proto=tokenizer_model)
    vocabulary = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
    size = len(vocabulary)
    rng = np.random.default_rng(12)

    def weights(*shape: int) -> Any:
        return (rng.standard_normal(shape) * 0.1).astype(np.float32)

    def fill(spec: Any, path: str) -> None:
        for name, value in list(vars(spec).items()):
            where = f"{path}/{name}"
            if isinstance(value, list):
                for index, item in enumerate(value):
                    fill(item, f"{where}{index}")
            elif type(value).__module__.startswith("ctranslate2.specs"):
                fill(value, where)
            elif value is None:
                setattr(spec, name, _shape(where, name, weights, np, width, size))

    spec = transformer_spec.TransformerSpec.from_config((layers, layers), heads)
    fill(spec.encoder, "/encoder")
    fill(spec.decoder, "/decoder")
    bias = np.zeros(size, np.float32)
    word = (
        WORD if WORD in vocabulary else next(p for p in vocabulary if p.startswith("▁") and p[1:])
    )
    bias[vocabulary.index(word)] = 8.0
    spec.decoder.projection.bias = bias
    spec.register_source_vocabulary(vocabulary)
    spec.register_target_vocabulary(vocabulary)
    spec.validate()
    spec.optimize(quantization=None)
    out.mkdir(parents=True, exist_ok=True)
    spec.save(str(out))


def _shape(where: str, name: str, weights: Any, np: Any, width: int, size: int) -> Any:
    if name == "gamma":
        return np.ones(width, np.float32)
    if name == "beta":
        return np.zeros(width, np.float32)
    if "embeddings" in where or "projection" in where:
        return weights(size, width)
    if "self_attention/linear0" in where:
        return weights(3 * width, width)
    if "/attention/linear1" in where:
        return weights(2 * width, width)
    if "linear_0" in where:
        return weights(4 * width, width)
    if "linear_1" in where:
        return weights(width, 4 * width)
    return weights(width, width)


def metadata(source: str = "es", target: str = "en") -> dict[str, Any]:
    return {
        "package_version": "1.0",
        "argos_version": "1.5",
        "from_code": source,
        "from_name": source,
        "to_code": target,
        "to_name": target,
        "type": "translate",
        "license": "CC0-1.0",
    }


def pack(
    path: Path,
    source: str = "es",
    target: str = "en",
    *,
    meta: dict[str, Any] | None = None,
    drop: tuple[str, ...] = (),
    extra: dict[str, bytes] | None = None,
    symlink: str | None = None,
    licence_file: str | None = "LICENSE",
    **size: int,
) -> Path:
    """Write an `.argosmodel` for source → target at `path`: files under one folder, as Argos
    packs are. `meta`: the metadata instead; `drop`: leave these files out (paths inside the
    folder, or a folder's prefix); `extra`: more entries, their names as given (paths escaping
    included); `symlink`: an entry of that name that is a symbolic link."""
    root = f"translate-{source}_{target}-1_0"
    sp = tokenizer()
    files: dict[str, bytes] = {
        "metadata.json": json.dumps(
            meta if meta is not None else metadata(source, target)
        ).encode(),
        "sentencepiece.model": sp,
        "README.md": b"A pack made for the tests.\n",
    }
    if licence_file:
        files[licence_file] = b"CC0 1.0 Universal: no rights reserved.\n"
    with tempfile.TemporaryDirectory() as tmp:
        model_dir(Path(tmp) / "model", sp, **size)
        for item in sorted((Path(tmp) / "model").iterdir()):
            files[f"model/{item.name}"] = item.read_bytes()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{root}/", b"")
        for name, data in files.items():
            if not any(name == d or name.startswith(d.rstrip("/") + "/") for d in drop):
                archive.writestr(f"{root}/{name}", data)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
        if symlink:
            info = zipfile.ZipInfo(f"{root}/{symlink}")
            info.external_attr = (0o120777 << 16) | 0
            archive.writestr(info, "/etc/passwd")
    return path
