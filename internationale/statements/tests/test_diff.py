"""The word-level comparison of versions, in scripts with and without spaces between words and
with combining marks inside words."""

from internationale.statements.diff import Piece, compare, render, tokens


def marked(old: str, new: str) -> list[tuple[str, str]]:
    """The changed pieces of a one-paragraph comparison, as (op, text)."""
    (paragraph,) = compare([old], [new])
    return [(p.op, p.text) for p in paragraph.pieces if p.op != "equal"]


def test_hindi_words_keep_their_vowel_signs_and_only_the_changed_word_is_marked():
    # "मज़दूर" carries a nukta and vowel signs (combining marks): one word, not pieces of one.
    assert tokens("मज़दूर एकजुट हों") == ["मज़दूर", " ", "एकजुट", " ", "हों"]
    assert marked("सभी मज़दूर एकजुट हों", "सभी किसान एकजुट हों") == [
        ("delete", "मज़दूर"),
        ("insert", "किसान"),
    ]


def test_arabic_words_keep_their_harakat_and_only_the_changed_word_is_marked():
    # The shadda of "العمّال" is a combining mark: the word stays whole.
    assert tokens("العمّال يتحدون") == ["العمّال", " ", "يتحدون"]
    assert marked("العمّال يتحدون في كل مكان", "العمّال يتضامنون في كل مكان") == [
        ("delete", "يتحدون"),
        ("insert", "يتضامنون"),
    ]


def test_chinese_has_no_spaces_so_each_ideograph_is_compared():
    assert tokens("工人团结。") == ["工", "人", "团", "结", "。"]
    assert marked("全世界工人团结起来。", "全世界劳动者团结起来！") == [
        ("delete", "工人"),
        ("insert", "劳动者"),
        ("delete", "。"),
        ("insert", "！"),
    ]


def test_latin_punctuation_and_spaces_are_tokens_of_their_own():
    assert tokens("Strike, now!") == ["Strike", ",", " ", "now", "!"]
    assert marked("We condemn the arrests.", "We condemn the arrests and threats.") == [
        ("insert", " and threats")
    ]


def test_paragraphs_added_and_removed_are_marked_whole():
    parts = compare(["One.", "Two.", "Three."], ["One.", "Three.", "Four."])
    assert [(p.old, p.new, p.op) for p in parts] == [
        (1, 1, "equal"),
        (2, None, "delete"),
        (3, 2, "equal"),
        (None, 3, "insert"),
    ]


def test_the_html_is_escaped():
    html = render([Piece("equal", "a <b> "), Piece("delete", "x&y"), Piece("insert", "<i>")])
    assert html == "a &lt;b&gt; <del>x&amp;y</del><ins>&lt;i&gt;</ins>"


def test_changes_separated_by_a_space_alone_are_marked_as_one():
    assert marked("We condemn the arrests.", "We denounce those arrests.") == [
        ("delete", "condemn the"),
        ("insert", "denounce those"),
    ]


def test_an_unrelated_paragraph_is_marked_as_replaced_whole():
    assert marked("The right to strike.", "सभी मज़दूर एकजुट हों") == [
        ("delete", "The right to strike."),
        ("insert", "सभी मज़दूर एकजुट हों"),
    ]
