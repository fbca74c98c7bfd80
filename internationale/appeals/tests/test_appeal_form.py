"""The appeal form: its fields in three groups, and what the issuing organization already says
filled in."""

from html.parser import HTMLParser

from internationale.organizations.models import Membership
from internationale.organizations.tests.factories import MembershipFactory


class _Groups(HTMLParser):
    """The legend and the field names of each fieldset of the form's groups, and the value of each
    text input and the selected option of each select."""

    def __init__(self) -> None:
        super().__init__()
        self.groups: list[tuple[str, list[str]]] = []
        self.values: dict[str, str] = {}
        self._depth = 0  # fieldsets open inside the current group
        self._in_legend = False
        self._select = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "fieldset":
            if self._depth == 0 and a.get("class") == "group":
                self.groups.append(("", []))
                self._depth = 1
            elif self._depth:
                self._depth += 1
        elif tag == "legend" and self._depth == 1:
            self._in_legend = True
        elif tag in ("input", "select", "textarea") and a.get("name"):
            name = a["name"] or ""
            if self._depth and a.get("type") != "hidden":
                self.groups[-1][1].append(name)
            if tag == "input" and a.get("type") == "text":
                self.values[name] = a.get("value") or ""
            self._select = name if tag == "select" else ""
        elif tag == "option" and self._select and "selected" in a:
            self.values[self._select] = a.get("value") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "fieldset" and self._depth:
            self._depth -= 1
        elif tag == "legend":
            self._in_legend = False

    def handle_data(self, data: str) -> None:
        if self._in_legend:
            legend, names = self.groups[-1]
            self.groups[-1] = ((legend + data).strip(), names)


def _form(client) -> _Groups:  # type: ignore[no-untyped-def]
    response = client.get("/appeals/new/")
    assert response.status_code == 200
    parser = _Groups()
    parser.feed(response.content.decode())
    return parser


def test_the_appeal_form_groups_what_happened_what_is_asked_and_who_sees_it(client_for, kim):
    groups = dict(_form(client_for(kim)).groups)
    assert list(groups) == ["What happened", "What we ask", "Who sees it"]
    assert groups["What happened"] == ["title", "situation", "text", "country", "place", "employer"]
    assert {"asks_propaganda", "asks_sympathy", "asks_material_aid", "deadline", "urgency"} <= set(
        groups["What we ask"]
    )
    assert groups["Who sees it"] == ["visibility", "language"]


def test_the_appeal_form_starts_with_the_organizations_country_and_first_language(client_for, kim):
    values = _form(client_for(kim)).values
    assert values["country"] == "KR"
    assert values["language"] == "ko"


def test_someone_speaking_for_two_organizations_chooses_and_nothing_is_guessed(
    client_for, kim, owner_org
):
    MembershipFactory(organization=owner_org, user=kim, role=Membership.Role.SECRETARY)
    client = client_for(kim)
    assert '<select name="organization"' in client.get("/appeals/new/").content.decode()
    form = _form(client)
    assert form.values.get("country", "") == ""
    assert form.values.get("language", "") == ""
