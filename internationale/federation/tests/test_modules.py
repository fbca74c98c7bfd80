"""How federation's modules use one another: through their public names only, so that a module's
private helpers can change without breaking another one."""

import ast
from pathlib import Path

import internationale.federation as federation

PACKAGE = Path(federation.__file__).parent


def _siblings() -> set[str]:
    return {path.stem for path in PACKAGE.glob("*.py")}


def test_no_federation_module_reaches_into_another_ones_private_names():
    siblings = _siblings()
    found = []
    for path in sorted(PACKAGE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in siblings
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
            ):
                found.append(f"{path.name}:{node.lineno} {node.value.id}.{node.attr}")
            if isinstance(node, ast.ImportFrom) and (node.module or "") in siblings:
                found.extend(
                    f"{path.name}:{node.lineno} from {node.module} import {alias.name}"
                    for alias in node.names
                    if alias.name.startswith("_")
                )
    assert found == []


# What records an activity to send (publishing.record and the loop over it), and who may call it.
SENDING = {"record", "send_to", "send_to_each", "send_to_inbox"}


def _sending_sites() -> set[tuple[str, str]]:
    """(module, what it calls) for each call, in federation's modules, of what records an
    activity to send, or that creates one's row itself."""
    found = set()
    for path in sorted(PACKAGE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if not isinstance(node, ast.Call):
                continue
            called = node.func
            if isinstance(called, ast.Name) and called.id in SENDING and path.stem == "publishing":
                found.add((path.stem, called.id))
            elif (
                isinstance(called, ast.Attribute)
                and isinstance(called.value, ast.Name)
                and called.value.id in ("publishing", "delivery")
                and called.attr in SENDING
            ):
                found.add((path.stem, f"{called.value.id}.{called.attr}"))
            elif (
                isinstance(called, ast.Attribute)
                and called.attr == "create"
                and ast.unparse(called.value) == "OutgoingActivity.objects"
            ):
                found.add((path.stem, "OutgoingActivity.objects.create"))
    return found


def test_every_activity_to_remote_organizations_is_sent_through_the_declarations_in_publishing():
    # Contents that travel (publishing.Travelling) and what organizations here send remote
    # actors alone (publishing.Direct: answers, vouches, advice, blocks) go through publishing's
    # `send_to_each` and `record`, their ids made from their declaration's name. The others are
    # listed, each with why it is not a declaration's.
    assert _sending_sites() == {
        ("publishing", "record"),
        ("publishing", "OutgoingActivity.objects.create"),  # in `record`
        ("publishing", "send_to"),
        ("publishing", "send_to_each"),
        # An erase's `Delete`s, to whom the erased content's rows name, under the content's name.
        ("erasing", "publishing.send_to_each"),
        # The one row of an activity to one inbox that is not recorded once: the answers to a
        # `Follow` (each `Follow` sent again is answered again), from followers.py and inbox.py.
        ("delivery", "OutgoingActivity.objects.create"),
        ("followers", "delivery.send_to_inbox"),
        ("inbox", "delivery.send_to_inbox"),
        # To the organization's followers, not to one inbox: its move and its new key.
        ("moving", "OutgoingActivity.objects.create"),
        ("keys", "OutgoingActivity.objects.create"),
    }
