"""Rich text: what people write keeps its form, and nothing in it runs in a reader's browser."""

from internationale.core import text
from internationale.core.text import render_markdown


def test_emphasis_lists_and_links_are_kept():
    html = render_markdown(
        "We stand with the **dockworkers** of *Busan*.\n\n"
        "- one\n- two\n\n"
        "[Read the appeal](https://example.org/appeal)"
    )
    assert "<strong>dockworkers</strong>" in html
    assert "<em>Busan</em>" in html
    assert "<li>one</li>" in html
    assert 'href="https://example.org/appeal"' in html
    assert 'rel="noopener noreferrer nofollow"' in html


def test_scripts_are_removed():
    html = render_markdown("Hello <script>alert('x')</script> world")
    assert "<script" not in html
    assert "alert" not in html


def test_event_handlers_and_styles_are_removed():
    html = render_markdown(
        '<p onclick="steal()" style="color:red">Click</p> <img src=x onerror="steal()">'
    )
    assert "onclick" not in html
    assert "onerror" not in html
    assert "style=" not in html
    assert "<img" not in html
    assert "Click" in html


def test_javascript_and_data_links_lose_their_target():
    html = render_markdown(
        "[win](javascript:alert(1)) [data](data:text/html;base64,PHNjcmlwdD4=) "
        '<a href="JaVaScRiPt:alert(2)">raw</a>'
    )
    assert "javascript" not in html.lower()
    assert "data:" not in html
    assert "win" in html and "raw" in html


def test_iframes_and_forms_are_removed():
    html = render_markdown('<iframe src="https://evil.example"></iframe><form><input></form>')
    assert "<iframe" not in html
    assert "<form" not in html
    assert "<input" not in html


def test_empty_text_renders_nothing():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""  # type: ignore[arg-type]


def test_a_text_is_rendered_once_however_often_it_is_shown(monkeypatch):
    rendered = []
    real = text._render
    monkeypatch.setattr(text, "_render", lambda source: rendered.append(source) or real(source))
    monkeypatch.setattr(text, "_rendered", {})
    first = render_markdown("The port locked out **1,200** dockworkers.")
    again = render_markdown("The port locked out **1,200** dockworkers.")
    other = render_markdown("The port locked out **1,300** dockworkers.")
    assert first == again == "<p>The port locked out <strong>1,200</strong> dockworkers.</p>"
    assert "1,300" in other
    assert len(rendered) == 2
