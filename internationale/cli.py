"""The `internationale` command, for the people who run a server.

    internationale serve             the embedded server: web processes and a worker together
    internationale web               web processes alone (at scale, on other machines)
    internationale worker            a background worker alone (at scale, on other machines)
    internationale demo              load the demo network
    internationale org add | import  register organizations, one at a time or from a CSV file
    internationale org unverify      withdraw an organization's verification
    internationale org rotate-key    give an organization a new key pair for federation
    internationale org import-archive FILE   recreate an organization exported from another server
    internationale org also-known-as SLUG URL  the actor it had on the server it moved from
    internationale org moved-to SLUG URL --yes  it moved: tell its followers (ActivityPub Move)
    internationale federation rotate-server-key --yes   a new key pair for the server's own actor
    internationale user add          add a person to an organization, or make an operator
    internationale token create      an API token for a person acting for an organization
    internationale translation install | list | remove   translation models (Argos Translate packs)
    internationale backup DEST       a backup of the running server: database, files, manifest
    internationale restore SRC       restore a backup into an empty data directory or database
    internationale manage ...        any Django management command

Like the HTML views and the API, it is a thin front end: every change goes through the services.
Errors are one line on stderr; the exit status is 2 for a wrong command line, 1 for rejected data.
"""

import argparse
import getpass
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

DEFAULT_SETTINGS = "internationale.settings.dev"
# The same as Organization.Kind and Membership.Role (a test keeps them equal): the command line
# is parsed before Django starts, so that `--help` works without a database.
KINDS = ("union", "party", "federation", "movement", "other")
ROLES = ("admin", "secretary", "member", "observer")
IMPORT_COLUMNS = (
    "name",
    "short_name",
    "country",
    "kind",
    "languages",
    "sectors",
    "city",
    "website",
    "verified",
)
REQUIRED_COLUMNS = ("name", "country", "kind")
PROGRESS_EVERY = 500  # rows between two progress lines of `org import`
WORKER_STOP_SECONDS = 15  # how long `serve` lets the worker finish its task before killing it
WEB_STOP_SECONDS = 10  # how long web processes have to answer the requests under way, on stopping
DEFAULT_THREADS = 8  # requests one web process serves at once
PARENT_PID_ENV = "INTERNATIONALE_SUPERVISOR_PID"


class CommandError(Exception):
    """A failure to report in one line. `status` 2: the command line was wrong; 1: the data."""

    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.status = status


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list[:1] == ["manage"]:
        return _manage(args_list[1:])
    parser = build_parser()
    try:
        args = parser.parse_args(args_list)
    except SystemExit as exc:  # --help, or a usage error already explained by argparse
        return exc.code if isinstance(exc.code, int) else 2
    if args.command == "serve":
        _serve_environment(args)
    _setup_django()
    from django.core.exceptions import PermissionDenied, ValidationError

    try:
        # `serve` and `demo` bring the database up to date; `restore` needs it empty.
        if args.command not in ("serve", "demo", "restore"):
            _require_database_ready()
        return args.handler(args) or 0
    except CommandError as exc:
        _error(str(exc))
        return exc.status
    except ValidationError as exc:
        _error(_one_line(exc) + ".")
        return 1
    except PermissionDenied as exc:
        _error(str(exc) or "not allowed")
        return 1
    except KeyboardInterrupt:
        _error("interrupted")
        return 130


def _require_database_ready() -> None:
    """Refuse plainly, before a command reads tables that do not exist yet."""
    from django.db import DEFAULT_DB_ALIAS, connections
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise CommandError(
            "the database is not up to date: run 'internationale manage migrate' first "
            "('internationale serve' and 'internationale demo' do it themselves)"
        )


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    import django
    from django.apps import apps

    if not apps.ready:  # already set up when called from tests or another command
        django.setup()


def _out(message: str = "") -> None:
    print(message, file=sys.stdout, flush=True)


def _err(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _error(message: str) -> None:
    _err(f"internationale: {message}")


def _one_line(exc: Any) -> str:
    return "; ".join(f"{f}: {m}" if f else m for f, m in _messages(exc))


def _messages(exc: Any) -> list[tuple[str, str]]:
    """A ValidationError as (field, message) pairs; the field is "" for non-field errors."""
    if hasattr(exc, "error_dict"):
        return [
            ("" if name == "__all__" else name, message.rstrip("."))
            for name, messages in exc.message_dict.items()
            for message in messages
        ]
    return [("", message.rstrip(".")) for message in exc.messages]


# The command line --------------------------------------------------------------------------------


def _port(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port number") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port number (1 to 65535)")
    return port


def _cores() -> int:
    """The cores this process may run on (fewer than the machine's under a CPU affinity mask)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


# Defaults from the environment stay strings: argparse checks them as it checks the option.
def _default_processes() -> str:
    return os.environ.get("WEB_PROCESSES") or str(_cores())


def _default_threads() -> str:
    return os.environ.get("WEB_THREADS") or str(DEFAULT_THREADS)


def _listen_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: %(default)s)"
    )
    parser.add_argument(
        "--port", type=_port, default=8000, help="port to listen on (default: %(default)s)"
    )


def _processes_arguments(parser: argparse.ArgumentParser, flag: str) -> None:
    """How many web processes (`flag`: serve says --web-processes, beside its worker; web says
    --processes) and how many threads each."""
    parser.add_argument(
        flag,
        type=_positive,
        default=_default_processes(),
        metavar="N",
        help="web processes (default: WEB_PROCESSES, else one per core: %(default)s)",
    )
    parser.add_argument(
        "--threads",
        type=_positive,
        default=_default_threads(),
        metavar="N",
        help="requests each web process serves at once (default: WEB_THREADS, else %(default)s)",
    )


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a positive whole number")
    return number


IMPORT_HELP = """\
The file is CSV in UTF-8 with a header row naming its columns, in any order:

  name        required: the organization's name
  short_name  its acronym or short name, which its address is made from (e.g. KLWU)
  country     required: ISO 3166-1 alpha-2 code (BR, KR, NG, DE, ...)
  kind        required: union, party, federation, movement or other
  languages   BCP 47 tags separated by spaces or semicolons (e.g. "pt-BR; en")
  sectors     ISIC Rev.4 section letters separated by spaces or semicolons (e.g. "H C")
  city        its city
  website     its address on the web (https://...)
  verified    yes/no (also true/false, 1/0); empty means no

For example:

  name,short_name,country,kind,languages,sectors,city,website,verified
  Korean Logistics Workers' Union,KLWU,KR,union,ko en,H,Busan,https://klwu.example,yes
  Frente de Trabajadoras,,MX,movement,es,C,Ciudad Juárez,,no

Every row is checked before anything is written. If any row is rejected, nothing is imported:
each problem is listed with its row (numbered as in a spreadsheet: the header is row 1) and
column, and the exit status is 1. Otherwise all rows are imported in one transaction.
Use "-" to read the file from standard input.
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="internationale",
        description="Run and administer an Internationale server: international solidarity "
        "and cooperation between workers' organizations.",
        epilog="Settings come from the environment (INTERNATIONALE_DATA_DIR, DATABASE_URL, "
        "SECRET_KEY, ...); DJANGO_SETTINGS_MODULE defaults to " + DEFAULT_SETTINGS + ". "
        "Run 'internationale COMMAND --help' for the options of a command.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    serve = commands.add_parser(
        "serve",
        help="run the server: web and background worker together (the embedded default)",
        description="Bring the database up to date, collect the static files, with --demo load "
        "the demo network on the first start (when there are no organizations) and later add what "
        "an earlier version's demo lacks (its appeals, if that demo is unchanged and the server has "
        "no verified organizations of its own), then serve the web application from several "
        "processes (gunicorn, as 'internationale web' does) and run a background worker beside "
        "them, restarted if it stops. Ctrl+C or SIGTERM stops them all.",
    )
    _listen_arguments(serve)
    _processes_arguments(serve, "--web-processes")
    serve.add_argument(
        "--demo",
        action="store_true",
        help="load the demo network on the first start (its people share a published password "
        "and one of them is an operator: for trying the platform, never for real use)",
    )
    serve.set_defaults(handler=_serve)

    web = commands.add_parser(
        "web",
        help="run web processes alone (at scale, beside 'internationale worker')",
        description="Serve the web application with gunicorn: one process that watches over N "
        "web processes (restarted if one stops), each answering several requests at once. It "
        "neither migrates nor collects static files: run 'internationale manage migrate' and "
        "'internationale manage collectstatic --noinput' once per release. What it believes of "
        "X-Forwarded-For and X-Forwarded-Proto follows TRUSTED_PROXY_COUNT. Ctrl+C or SIGTERM "
        "stops it once the requests under way are answered.",
    )
    _listen_arguments(web)
    _processes_arguments(web, "--processes")
    # `serve` opens the socket itself (so that a port in use is a one-line error) and hands it on.
    web.add_argument("--fd", type=int, default=None, help=argparse.SUPPRESS)
    web.set_defaults(handler=_web)

    worker = commands.add_parser(
        "worker",
        help="run a background worker (e-mail, webhooks, routing, ...)",
        description="Run background tasks as they are queued, until stopped (Ctrl+C or "
        "SIGTERM: the task under way is finished first). 'serve' runs one by itself; run "
        "more, on any machine that reaches the database, to share the work.",
    )
    worker.add_argument(
        "--batch", action="store_true", help="run the tasks that are ready now, then exit"
    )
    worker.add_argument(
        "--interval",
        type=float,
        default=1.0,
        help="seconds between two looks for new tasks (default: %(default)s)",
    )
    worker.set_defaults(handler=_worker)

    demo = commands.add_parser(
        "demo",
        help="load the demo network of invented organizations and people",
        description="Load the demo network: invented organizations on every continent, their "
        "people, relations, employers and appeals. Every demo person signs in with the same "
        "password, printed here. Running it again adds only what a demo loaded by an earlier "
        "version lacks (its appeals, if that demo is unchanged and the server has no verified "
        "organizations of its own), else changes nothing.",
    )
    demo.set_defaults(handler=_demo)

    org = commands.add_parser("org", help="register organizations", description="Organizations.")
    org_commands = org.add_subparsers(dest="org_command", metavar="ACTION", required=True)
    org_add = org_commands.add_parser(
        "add",
        help="register one organization and print its slug",
        description="Register an organization, as a server operator. Prints only its slug (the "
        "last part of its address), so that scripts can use it.",
    )
    org_add.add_argument("--name", required=True, help="its name")
    org_add.add_argument("--short-name", default="", help="its acronym or short name")
    org_add.add_argument(
        "--country", required=True, help="ISO 3166-1 alpha-2 country code (BR, KR, NG, ...)"
    )
    org_add.add_argument("--kind", required=True, choices=KINDS, help="what it is")
    org_add.add_argument(
        "--language",
        action="extend",
        nargs="+",
        default=[],
        metavar="TAG",
        help="a language it works in, as a BCP 47 tag (en, pt-BR, ...); repeat for more",
    )
    org_add.add_argument(
        "--sector",
        action="extend",
        nargs="+",
        default=[],
        metavar="LETTER",
        help="a sector it organizes, as an ISIC Rev.4 section letter A to U (H: transport "
        "and storage, C: manufacturing, ...); repeat for more",
    )
    org_add.add_argument("--city", default="", help="its city")
    org_add.add_argument("--website", default="", help="its address on the web")
    org_add.add_argument(
        "--verified", action="store_true", help="register it as verified by this server"
    )
    org_add.set_defaults(handler=_org_add)

    org_import = org_commands.add_parser(
        "import",
        help="register organizations from a CSV file, all or none",
        description="Register many organizations from a CSV file: all of them, or none.",
        epilog=IMPORT_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    org_import.add_argument("file", metavar="FILE.csv", help="the CSV file, or - for stdin")
    org_import.set_defaults(handler=_org_import)

    org_unverify = org_commands.add_parser(
        "unverify",
        help="withdraw an organization's verification",
        description="Withdraw an organization's verification, as a server operator: it then sees "
        "only public content, and its vouches no longer count. Recorded in its audit log.",
    )
    org_unverify.add_argument("slug", metavar="SLUG", help="the organization, by its slug")
    org_unverify.set_defaults(handler=_org_unverify)

    org_rotate_key = org_commands.add_parser(
        "rotate-key",
        help="give an organization a new key pair for federation",
        description="Give an organization a new key pair for federation (ActivityPub), as a "
        "server operator: the old private key is erased; the old public key stays published "
        "for the signature window (FEDERATION_SIGNATURE_WINDOW_SECONDS), so activities signed "
        "just before still verify, or not at all with --compromised; an Update of the "
        "organization is recorded for its followers. Recorded in its audit log.",
    )
    org_rotate_key.add_argument("slug", metavar="SLUG", help="the organization, by its slug")
    org_rotate_key.add_argument(
        "--compromised",
        action="store_true",
        help="the old key may be in other hands: stop publishing it at once",
    )
    org_rotate_key.set_defaults(handler=_org_rotate_key)

    org_moved = org_commands.add_parser(
        "moved-to",
        help="tell an organization's followers that it moved to another server (ActivityPub Move)",
        description="Record that an organization moved to another server, as a server operator: "
        "its actor here then says movedTo, and a Move goes to its followers, whose servers "
        "follow it to the new actor. The new actor must list this one in its alsoKnownAs (run "
        "'org also-known-as' on the new server first). Cannot be undone: without --yes, only "
        "says what it would do. Recorded in its audit log.",
    )
    org_moved.add_argument("slug", metavar="SLUG", help="the organization, by its slug")
    org_moved.add_argument("target", metavar="URL", help="its actor on the new server")
    org_moved.add_argument("--yes", action="store_true", help="confirm: move it now")
    org_moved.set_defaults(handler=_org_moved_to)

    org_aka = org_commands.add_parser(
        "also-known-as",
        help="record the actor an organization had on the server it moved from",
        description="Record the actor an organization that moved here had on its old server: "
        "its actor here lists it in alsoKnownAs, which the old server checks before it sends "
        "the Move. Recorded in its audit log.",
    )
    org_aka.add_argument("slug", metavar="SLUG", help="the organization, by its slug")
    org_aka.add_argument("old_actor", metavar="URL", help="its actor on the old server")
    org_aka.set_defaults(handler=_org_also_known_as)

    org_archive = org_commands.add_parser(
        "import-archive",
        help="recreate an organization from the archive its admins exported on another server",
        description="Recreate an organization with everything it owns from its archive (exported "
        "by its admins on another server of this platform). The format version and every "
        "checksum are checked first; on any error the whole archive is refused and nothing is "
        "written. The organization arrives unverified unless --verified is given (content only "
        "a verified organization may have, a launched campaign or an issued appeal, needs it); "
        "its relations with organizations this server does not know wait as pending proposals, "
        "and what other organizations agreed to is asked of them again. The archive is not "
        "signed: get its SHA-256 from the old server's operator over a channel you trust and "
        "give it with --sha256.",
    )
    org_archive.add_argument("file", metavar="FILE", help="the archive (.zip)")
    org_archive.add_argument(
        "--verified", action="store_true", help="verify it on this server at once"
    )
    org_archive.add_argument(
        "--sha256",
        metavar="HEX",
        type=_sha256,
        help="refuse the file unless its SHA-256 is this one (64 hexadecimal digits)",
    )
    org_archive.set_defaults(handler=_org_import_archive)

    federation = commands.add_parser(
        "federation", help="federation (ActivityPub)", description="Federation (ActivityPub)."
    )
    federation_commands = federation.add_subparsers(
        dest="federation_command", metavar="ACTION", required=True
    )
    rotate_server_key = federation_commands.add_parser(
        "rotate-server-key",
        help="give the server's own actor a new key pair",
        description="Give the server's own actor (/federation/actor, whose key signs this "
        "server's fetches of remote documents) a new key pair: the old private key is erased; "
        "the old public key stays published for the signature window "
        "(FEDERATION_SIGNATURE_WINDOW_SECONDS), or not at all with --compromised. Recorded in "
        "the audit log. Asks --yes.",
    )
    rotate_server_key.add_argument(
        "--yes", action="store_true", help="confirm: replace the server's key now"
    )
    rotate_server_key.add_argument(
        "--compromised",
        action="store_true",
        help="the old key may be in other hands: stop publishing it at once",
    )
    rotate_server_key.set_defaults(handler=_federation_rotate_server_key)

    user = commands.add_parser("user", help="people", description="People.")
    user_commands = user.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    user_add = user_commands.add_parser(
        "add",
        help="add a person to an organization, or make a server operator",
        description="Add a person to an organization with a role. A new person's password is "
        "read from standard input (one line), or asked twice at a terminal; with --invite, "
        "they are sent an invitation by e-mail instead and choose it themselves. For a "
        "person who already has an account, only the membership is added.",
    )
    user_add.add_argument("--email", required=True, help="their e-mail address")
    user_add.add_argument("--org", metavar="SLUG", help="the organization, by its slug")
    user_add.add_argument("--role", choices=ROLES, help="their role in it")
    user_add.add_argument("--name", default="", help="their name")
    user_add.add_argument(
        "--invite",
        action="store_true",
        help="send an invitation by e-mail instead of setting a password",
    )
    user_add.add_argument(
        "--operator",
        action="store_true",
        help="make them a server operator (verifies organizations, moderates)",
    )
    user_add.set_defaults(handler=_user_add)

    token = commands.add_parser("token", help="API tokens", description="API tokens.")
    token_commands = token.add_subparsers(dest="token_command", metavar="ACTION", required=True)
    token_create = token_commands.add_parser(
        "create",
        help="create an API token and print it",
        description="Create an API token for a person acting for one of their organizations. "
        "Prints only the token: it is shown this once, and only its hash is kept.",
    )
    token_create.add_argument("--email", required=True, help="the person's e-mail address")
    token_create.add_argument(
        "--org", required=True, metavar="SLUG", help="the organization, by its slug"
    )
    token_create.add_argument("--name", default="", help="what the token is for")
    token_create.add_argument(
        "--expires-in-days",
        type=int,
        default=None,
        metavar="DAYS",
        help="the token stops working after so many days (default: when revoked)",
    )
    token_create.set_defaults(handler=_token_create)

    _translation_parser(commands)
    _backup_parsers(commands)

    commands.add_parser(
        "manage",
        help="run a Django management command (e.g. 'internationale manage migrate')",
        description="Run any Django management command: 'internationale manage help' lists them.",
        add_help=False,
    )
    return parser


def _translation_parser(commands: Any) -> None:
    translation = commands.add_parser(
        "translation",
        help="machine translation models: install, list, remove",
        description="The models that translate on this server. Argos Translate packs "
        "(.argosmodel files) are installed from files: nothing is downloaded.",
    )
    actions = translation.add_subparsers(
        dest="translation_command", metavar="ACTION", required=True
    )
    install = actions.add_parser(
        "install",
        help="install an Argos Translate pack from a file",
        description="Check an .argosmodel file (a valid zip, no path outside its folder, no "
        "symbolic link, its size under TRANSLATION_MODEL_MAX_MB, its metadata, a CTranslate2 model "
        "and a SentencePiece tokenizer) before unpacking anything, unpack it into "
        "TRANSLATION_MODELS_DIR, translate a sentence with it, and print the licence it states. "
        "A refused file leaves nothing behind.",
    )
    install.add_argument("file", metavar="FILE", help="the .argosmodel file")
    install.set_defaults(handler=_translation_install)
    listing = actions.add_parser(
        "list",
        help="list the pairs this server translates, by backend",
        description="The language pairs each configured backend translates directly, with the "
        "version and licence of installed packs. Other pairs go through English when both halves "
        "exist.",
    )
    listing.set_defaults(handler=_translation_list)
    remove = actions.add_parser(
        "remove",
        help="remove an installed pack",
        description="Remove the pack of a pair, and forget what it translated.",
    )
    remove.add_argument("pair", metavar="PAIR", help="the pair, as 'list' shows it: es-en")
    remove.set_defaults(handler=_translation_remove)


def _backup_parsers(commands: Any) -> None:
    backup = commands.add_parser(
        "backup",
        help="write a backup of the server while it runs",
        description="Write a consistent backup of the running server into DEST: the database "
        "(SQLite through its online backup, PostgreSQL through pg_dump), the media files, the "
        "secret key of the data directory, and manifest.json (format version, kind of database, "
        "migrations applied, time, size and SHA-256 of every file). DEST must not exist, or be "
        "an empty directory; the backup appears there only once whole. It holds everything the "
        "server holds, confidential content and the secret key included: keep it as safe.",
    )
    backup.add_argument("destination", metavar="DEST", help="a new or empty directory")
    backup.set_defaults(handler=_backup)
    restore = commands.add_parser(
        "restore",
        help="restore a backup into an empty data directory or database",
        description="Restore a backup written by 'internationale backup' into this server's "
        "database (SQLite in INTERNATIONALE_DATA_DIR, or DATABASE_URL) and media directory, "
        "which must be empty. The manifest, its format version, the kind of database, the "
        "migrations and every file's checksum are checked first: on any error nothing is "
        "changed. Then start the server: 'internationale serve' (or 'manage migrate') brings a "
        "backup of an earlier version up to date.",
    )
    restore.add_argument("source", metavar="SRC", help="the backup's directory")
    restore.set_defaults(handler=_restore)


def _backup(args: argparse.Namespace) -> int:
    from pathlib import Path

    from internationale.ownership.backup import BackupError, backup_write

    try:
        manifest = backup_write(Path(args.destination), progress=_err)
    except BackupError as exc:
        raise CommandError(str(exc)) from None
    except OSError as exc:
        raise CommandError(f"cannot write the backup: {exc}") from None
    size = sum(entry["size"] for entry in manifest["files"].values())
    _out(
        f"Backup written to {args.destination}: {len(manifest['files'])} file(s), "
        f"{size} bytes, {manifest['database']['kind']} database."
    )
    return 0


def _restore(args: argparse.Namespace) -> int:
    from pathlib import Path

    from internationale.ownership.backup import BackupError, restore

    try:
        manifest = restore(Path(args.source), progress=_err)
    except BackupError as exc:
        raise CommandError(str(exc)) from None
    except OSError as exc:
        raise CommandError(f"cannot restore the backup: {exc}") from None
    _out(
        f"Restored the backup of {manifest['created_at']} ({len(manifest['files'])} file(s)). "
        "Start the server: 'internationale serve' brings the database up to date."
    )
    if os.environ.get("SECRET_KEY") and "secret_key" in manifest["files"]:
        _out("SECRET_KEY is set: it, not the restored data/secret_key, signs from now on.")
    return 0


def _manage(argv: list[str]) -> int:
    _setup_django()
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["internationale manage", *argv])
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 1
    return 0


# Organizations -----------------------------------------------------------------------------------


def _system() -> Any:
    """The command line acts as the server itself, explicitly, and is audited as such."""
    from internationale.core.actors import System

    return System(reason="cli")


def _split(value: str) -> list[str]:
    return [item for item in re.split(r"[;,\s]+", value) if item]


def _country_codes() -> set[str]:
    from django_countries import countries

    return {code for code, _name in countries}


def _unknown_country(code: str) -> str:
    return f"“{code}” is not an ISO 3166-1 alpha-2 country code (such as BR, KR, NG)"


def _unknown_kind(kind: str) -> str:
    return f"“{kind}” is not a kind of organization: {', '.join(KINDS)}"


def _org_add(args: argparse.Namespace) -> int:
    from internationale.organizations.services import organization_create

    country = args.country.strip().upper()
    if country not in _country_codes():
        raise CommandError("country: " + _unknown_country(args.country) + ".")
    org = organization_create(
        actor=_system(),
        name=args.name,
        short_name=args.short_name.strip(),
        country=country,
        kind=args.kind,
        languages=[tag for value in args.language for tag in _split(value)],
        sectors=[code for value in args.sector for code in _split(value)],
        city=args.city.strip(),
        website=args.website.strip(),
        verified=args.verified,
    )
    _out(org.slug)
    return 0


_TRUE = {"1", "yes", "y", "true", "t", "x", "verified"}
_FALSE = {"", "0", "no", "n", "false", "f"}


@dataclass
class _ImportRow:
    number: int  # as in a spreadsheet: the header is row 1
    values: dict[str, Any] = field(default_factory=dict)  # organization_create's arguments
    problems: list[tuple[str, str]] = field(default_factory=list)


def _read_csv(path: str) -> list[tuple[int, dict[str, str]]]:
    """The rows of an import file as (row number, {column: value}); blank rows are skipped."""
    import csv

    try:
        if path == "-":
            text = sys.stdin.read()
        else:
            with open(path, encoding="utf-8-sig", newline="") as handle:
                text = handle.read()
    except UnicodeDecodeError:
        raise CommandError(f"{path} is not UTF-8 text") from None
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc.strerror or exc}", status=2) from None
    reader = csv.reader(text.lstrip("\ufeff").splitlines(keepends=True))
    try:
        records = list(reader)
    except csv.Error as exc:
        raise CommandError(f"{path}, line {reader.line_num}: {exc}") from None
    if not records:
        raise CommandError(f"{path} is empty: it needs a header row, then one row each")
    header = [name.strip().lower() for name in records[0]]
    unknown = [name for name in header if name not in IMPORT_COLUMNS]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    repeated = sorted({name for name in header if header.count(name) > 1})
    if unknown or missing or repeated:
        parts = [
            f"{label}: {', '.join(names)}"
            for label, names in (
                ("missing column(s)", missing),
                ("unknown column(s)", unknown),
                ("repeated column(s)", repeated),
            )
            if names
        ]
        raise CommandError(
            f"{path}: {'; '.join(parts)}. The columns are: {', '.join(IMPORT_COLUMNS)}"
        )
    rows = []
    for number, values in enumerate(records[1:], start=2):
        if not any(value.strip() for value in values):
            continue
        row = {name: value.strip() for name, value in zip(header, values, strict=False)}
        if len(values) > len(header):
            row[_EXTRA] = "yes"
        rows.append((number, row))
    return rows


_EXTRA = "\0extra"


def _check_row(
    number: int,
    row: dict[str, str],
    seen: dict[tuple[str, str], int],
    existing: set[tuple[str, str]],
) -> _ImportRow:
    from django.core.exceptions import ValidationError

    from internationale.organizations.models import Organization
    from internationale.organizations.services import _clean_languages, _clean_sectors

    result = _ImportRow(number=number)
    problems = result.problems
    if row.get(_EXTRA):
        problems.append(("", "more values than there are columns"))
    country = row.get("country", "").upper()
    kind = row.get("kind", "").lower()
    if country not in _country_codes():
        problems.append(("country", _unknown_country(row.get("country", ""))))
    if kind not in KINDS:
        problems.append(("kind", _unknown_kind(row.get("kind", ""))))
    languages: list[str] = []
    sectors: list[str] = []
    try:
        languages = _clean_languages(_split(row.get("languages", "")))
    except ValidationError as exc:
        problems += _messages(exc)
    try:
        sectors = _clean_sectors(_split(row.get("sectors", "")))
    except ValidationError as exc:
        problems += _messages(exc)
    verified = row.get("verified", "").lower()
    if verified not in _TRUE | _FALSE:
        problems.append(("verified", f"“{row.get('verified')}” is neither yes nor no"))
    values = {
        "name": row.get("name", ""),
        "short_name": row.get("short_name", ""),
        "country": country,
        "kind": kind,
        "city": row.get("city", ""),
        "website": row.get("website", ""),
    }
    organization = Organization(**values, slug="checked-on-import")
    skip = ["slug", *(name for name, _m in problems if name in ("country", "kind"))]
    try:
        organization.full_clean(exclude=skip)
    except ValidationError as exc:
        problems += _messages(exc)
    key = (values["name"].casefold(), country)
    if values["name"] and key in seen:
        problems.append(("name", f"the same organization is on row {seen[key]}"))
    elif values["name"] and key in existing:
        problems.append(("name", f"“{values['name']}” in {country} is already registered"))
    seen.setdefault(key, number)
    result.values = {
        **values,
        "languages": languages,
        "sectors": sectors,
        "verified": verified in _TRUE,
    }
    return result


def _org_import(args: argparse.Namespace) -> int:
    from django.core.exceptions import ValidationError
    from django.db import transaction

    from internationale.organizations.models import Organization
    from internationale.organizations.services import organization_create

    rows = _read_csv(args.file)
    total = len(rows)
    if not total:
        raise CommandError(f"{args.file} has a header but no organizations")
    existing = {
        (name.casefold(), country)
        for name, country in Organization.objects.values_list("name", "country")
    }
    seen: dict[tuple[str, str], int] = {}
    checked: list[_ImportRow] = []
    for index, (number, values) in enumerate(rows, start=1):
        checked.append(_check_row(number, values, seen, existing))
        if total > PROGRESS_EVERY and index % PROGRESS_EVERY == 0:
            _err(f"checked {index} of {total} rows…")
    rejected = [row for row in checked if row.problems]
    if rejected:
        for row in rejected:
            for name, message in row.problems:
                _err(f"row {row.number}" + (f", {name}" if name else "") + f": {message}.")
        _err(
            f"{len(rejected)} of {total} row(s) rejected; nothing was imported "
            f"(rows are numbered as in a spreadsheet: the header is row 1)."
        )
        return 1
    done = 0
    current = checked[0]
    try:
        with transaction.atomic():
            for current in checked:
                organization_create(actor=_system(), **current.values)
                done += 1
                if total > PROGRESS_EVERY and done % PROGRESS_EVERY == 0:
                    _err(f"imported {done} of {total}…")
    except ValidationError as exc:
        # Checked above, so only a change made meanwhile by someone else can get here.
        raise CommandError(
            f"row {current.number}: {_one_line(exc)}; nothing was imported."
        ) from None
    _out(f"Imported {done} organization(s).")
    return 0


def _org_unverify(args: argparse.Namespace) -> int:
    from internationale.organizations.services import organization_unverify

    organization = _organization(args.slug)
    if organization.verified_at is None:
        _out(f"{organization.slug} is not verified; nothing was changed.")
        return 0
    organization_unverify(actor=_system(), organization=organization)
    _out(f"{organization.slug} is no longer verified.")
    return 0


def _org_rotate_key(args: argparse.Namespace) -> int:
    from internationale.federation.documents import key_url
    from internationale.federation.keys import key_rotate

    organization = _organization(args.slug)
    key = key_rotate(actor=_system(), organization=organization, compromised=args.compromised)
    _out(f"{organization.slug} now signs with {key_url(key)}.")
    return 0


def _refusal(error: Any) -> str:
    return " ".join(str(m) for m in error.messages)


def _org_moved_to(args: argparse.Namespace) -> int:
    from django.core.exceptions import ValidationError

    from internationale.federation.documents import actor_url
    from internationale.federation.moving import move_to

    organization = _organization(args.slug)
    if not args.yes:
        raise CommandError(
            f"{actor_url(organization)} would say it moved to {args.target.strip()}, and its "
            "followers would be told to follow the new actor; this cannot be undone. Nothing "
            "was changed: run again with --yes to move it."
        )
    try:
        move_to(actor=_system(), organization=organization, target=args.target)
    except ValidationError as error:
        raise CommandError(f"nothing was changed: {_refusal(error)}") from None
    _out(f"{organization.slug} moved to {args.target.strip()}: its followers are being told.")
    return 0


def _org_also_known_as(args: argparse.Namespace) -> int:
    from django.core.exceptions import ValidationError

    from internationale.federation.moving import also_known_as

    organization = _organization(args.slug)
    try:
        also_known_as(actor=_system(), organization=organization, old_actor=args.old_actor)
    except ValidationError as error:
        raise CommandError(f"nothing was changed: {_refusal(error)}") from None
    _out(f"{organization.slug} is also known as {args.old_actor.strip()}.")
    return 0


def _federation_rotate_server_key(args: argparse.Namespace) -> int:
    from internationale.federation.documents import instance_key_id
    from internationale.federation.keys import instance_key_rotate

    if not args.yes:
        _error("this replaces the server's own federation key: run again with --yes to do it")
        return 2
    key = instance_key_rotate(actor=_system(), compromised=args.compromised)
    _out(f"The server now signs its fetches with {instance_key_id(key)}.")
    return 0


def _sha256(value: str) -> str:
    digest = value.strip().lower()
    if not re.fullmatch(r"[0-9a-f]{64}", digest):
        raise argparse.ArgumentTypeError(
            "a SHA-256 is written as 64 hexadecimal digits (as sha256sum prints it)"
        )
    return digest


def _org_import_archive(args: argparse.Namespace) -> int:
    from internationale.ownership.archive import ArchiveRefused
    from internationale.ownership.importing import import_archive

    try:
        with open(args.file, "rb") as stream:
            imported = import_archive(
                stream, actor=_system(), verified=args.verified, sha256=args.sha256
            )
    except OSError as exc:
        raise CommandError(f"cannot read {args.file}: {exc.strerror or exc}") from None
    except ArchiveRefused as exc:
        raise CommandError(f"the archive is refused, nothing was imported: {exc}") from None
    organization = imported.organization
    _out(f"{organization.slug} imported: {sum(imported.created.values())} rows.")
    if imported.left_out:
        kinds = ", ".join(f"{key}: {n}" for key, n in sorted(imported.left_out.items()))
        _out(
            f"{sum(imported.left_out.values())} rows left out: they belong with organizations "
            "this server does not know, or are signatures whose signers did not consent to "
            f"this organization ({kinds})."
        )
    if imported.pending_relations:
        _out(f"{imported.pending_relations} relations wait for their partners to arrive.")
    if imported.asked_again:
        kinds = ", ".join(f"{key}: {n}" for key, n in sorted(imported.asked_again.items()))
        _out(
            f"{sum(imported.asked_again.values())} agreements of other organizations are asked "
            f"of them again: the archive cannot show that they agreed ({kinds})."
        )
    if imported.not_agreed:
        kinds = ", ".join(f"{key}: {n}" for key, n in sorted(imported.not_agreed.items()))
        _out(
            f"{sum(imported.not_agreed.values())} approvals and signatures of other "
            f"organizations are left out: they give them again on this server ({kinds})."
        )
    return 0


# People and tokens -------------------------------------------------------------------------------


def _organization(slug: str) -> Any:
    from internationale.organizations.models import Organization

    organization = Organization.objects.filter(slug=slug.strip()).first()
    if organization is None:
        raise CommandError(f"there is no organization with the slug “{slug}”")
    return organization


def _read_password(email: str) -> str:
    if sys.stdin is not None and sys.stdin.isatty():
        password = getpass.getpass(f"Password for {email}: ")
        if getpass.getpass("The same password again: ") != password:
            raise CommandError("the two passwords differ; nothing was changed")
    else:
        password = (sys.stdin.readline() if sys.stdin is not None else "").rstrip("\r\n")
    if not password:
        raise CommandError(
            "no password on standard input: give it there (one line), or use --invite"
        )
    return password


def _user_add(args: argparse.Namespace) -> int:
    from django.contrib.auth.password_validation import validate_password
    from django.db import transaction

    from internationale.accounts.models import User
    from internationale.accounts.services import user_create
    from internationale.organizations.services import membership_add

    if bool(args.org) != bool(args.role):
        raise CommandError("--org and --role go together", status=2)
    if not args.org and not args.operator:
        raise CommandError("give --org and --role, or --operator (or both)", status=2)
    if args.invite and (args.operator or not args.org):
        raise CommandError("--invite needs --org and --role, and not --operator", status=2)
    email = args.email.strip().lower()
    organization = _organization(args.org) if args.org else None
    user = User.objects.filter(email__iexact=email).first()

    if user is None and args.invite and organization is not None:
        invitation, link = _invite(organization=organization, email=email, role=args.role)
        _out(f"Invited {email} to {organization.slug} as {args.role}.")
        _out(
            f"The e-mail goes out with the background worker; the link works once, until "
            f"{invitation.expires_at:%Y-%m-%d %H:%M} UTC: {link}"
        )
        return 0

    password = None
    if user is None:
        password = _read_password(email)  # before the transaction: the prompt may take a while
        validate_password(password, User(email=email, name=args.name))
    else:
        _err(f"{email} already has an account: adding the membership only.")
    with transaction.atomic():
        if user is None:
            user = user_create(email=email, password=password, name=args.name.strip())
        if args.operator and not user.is_staff:
            _make_operator(user)  # through its service, so it is audited
        if organization is not None:
            membership_add(actor=_system(), organization=organization, user=user, role=args.role)
    if organization is not None:
        _out(f"{email} is now {args.role} of {organization.slug}.")
    if args.operator:
        _out(f"{email} is a server operator.")
    return 0


def _make_operator(user: Any) -> None:
    from internationale.accounts.services import user_set_operator

    user_set_operator(actor=_system(), user=user)


def _invite(*, organization: Any, email: str, role: str) -> tuple[Any, str]:
    """An invitation from the server itself (no inviting person), e-mailed in the background."""

    from internationale.core.links import absolute_url
    from internationale.organizations.services import invitation_create

    invitation, token = invitation_create(
        actor=_system(), organization=organization, email=email, role=role
    )
    return invitation, absolute_url(f"/invitations/{token}/")


# Translation models -----------------------------------------------------------------------------


def _refused(exc: Any) -> CommandError:
    return CommandError(" ".join(str(m) for m in exc.messages).rstrip("."))


def _translation_install(args: argparse.Namespace) -> int:
    from pathlib import Path

    from django.core.exceptions import ValidationError

    from internationale.translation.services_machine import model_install

    try:
        done = model_install(actor=_system(), path=Path(args.file))
    except ValidationError as exc:
        raise _refused(exc) from exc
    pack = done.pack
    _out(f"Installed {pack.pair} (version {pack.version}) in {pack.path}.")
    _out(f"Licence ({pack.licence_from or 'not stated'}): {pack.licence_summary}")
    _out(f"Smoke test: “{done.sample}” → “{done.translated}”")
    return 0


def _translation_list(args: argparse.Namespace) -> int:
    from internationale.translation.services_machine import pair_rows

    rows = pair_rows()
    for row in rows:
        line = f"{row.source}-{row.target}\t{row.backend}"
        if row.version or row.licence:
            line += f"\tversion {row.version}\t{row.licence}"
        _out(line)
    if not rows:
        _out("No backend translates any pair: see TRANSLATION_BACKENDS.")
    return 0


def _translation_remove(args: argparse.Namespace) -> int:
    from django.core.exceptions import ValidationError

    from internationale.translation.services_machine import model_remove

    try:
        pack = model_remove(actor=_system(), pair=args.pair)
    except ValidationError as exc:
        raise _refused(exc) from exc
    _out(f"Removed {pack.pair} (version {pack.version}).")
    return 0


def _token_create(args: argparse.Namespace) -> int:
    import datetime

    from django.utils import timezone

    from internationale.accounts.models import User
    from internationale.accounts.services import token_create

    user = User.objects.filter(email__iexact=args.email.strip()).first()
    if user is None:
        raise CommandError(f"there is no person with the e-mail address {args.email}")
    organization = _organization(args.org)
    expires_at = None
    if args.expires_in_days is not None:
        if args.expires_in_days < 1:
            raise CommandError("--expires-in-days must be 1 or more", status=2)
        expires_at = timezone.now() + datetime.timedelta(days=args.expires_in_days)
    _token, raw = token_create(
        actor=_system(), user=user, organization=organization, name=args.name, expires_at=expires_at
    )
    _out(raw)
    return 0


# The demo ----------------------------------------------------------------------------------------


def _demo(args: argparse.Namespace) -> int:
    from django.core.management import call_command

    from internationale.web import demo

    call_command("migrate", interactive=False, verbosity=0)
    demo.load_demo(stdout=sys.stdout)
    _out(f"\nDemo sign-ins (the password of every demo person is: {demo.DEMO_PASSWORD}):")
    _out(demo.demo_sign_ins_text())
    return 0


# The background worker ---------------------------------------------------------------------------


def _worker(args: argparse.Namespace) -> int:

    from internationale.core.worker import run_pending_tasks, run_worker

    if args.batch:
        ran = run_pending_tasks()
        _out(f"Ran {ran} task(s).")
        return 0
    parent = os.environ.get(PARENT_PID_ENV)
    if parent and parent.isdigit():
        _stop_when_orphaned(int(parent))
    else:
        _err(f"Background worker running (pid {os.getpid()}); Ctrl+C stops it.")
    run_worker(interval=args.interval)
    return 0


def _stop_when_orphaned(parent_pid: int) -> None:
    """A worker started by `serve` stops when `serve` is gone, even if it was killed outright."""

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(2)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="supervisor-watch", daemon=True).start()


# serve -------------------------------------------------------------------------------------------


def _display_host(host: str) -> str:
    if host in ("", "0.0.0.0", "::"):  # noqa: S104 - only to show a usable address
        return "127.0.0.1"
    return f"[{host}]" if ":" in host else host


def _serve_environment(args: argparse.Namespace) -> None:
    # Links in e-mails and webhooks point at this server unless SITE_URL says otherwise.
    if not os.environ.get("SITE_URL"):
        os.environ["SITE_URL"] = f"http://{_display_host(args.host)}:{args.port}"


class WorkerSupervisor:
    """Runs `internationale worker` as a child process, restarts it if it stops, stops it."""

    def __init__(self, command: list[str], env: dict[str, str]) -> None:
        self.command = command
        self.env = env
        self.process: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="worker-supervisor", daemon=True)

    def start(self) -> None:
        with self._lock:
            self._spawn()
        self._thread.start()

    def _spawn(self) -> None:
        # Its own session: Ctrl+C at the terminal reaches `serve` only, which then stops the
        # worker once, letting it finish the task under way.
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            self.command, env=self.env, start_new_session=True
        )
        self._started = time.monotonic()
        _out(f"Background worker started (pid {self.process.pid}).")

    def _watch(self) -> None:
        delay = 1.0
        while not self._stopping.wait(1.0):
            assert self.process is not None
            code = self.process.poll()
            if code is None:
                if time.monotonic() - self._started > 60:
                    delay = 1.0  # it ran a good while: the next failure is restarted at once
                continue
            _err(
                f"The background worker stopped (exit status {code}); restarting it in {delay:.0f} s."
            )
            if self._stopping.wait(delay):
                return
            delay = min(delay * 2, 30.0)
            with self._lock:
                if not self._stopping.is_set():
                    self._spawn()

    def stop(self, timeout: float = WORKER_STOP_SECONDS) -> None:
        self._stopping.set()
        with self._lock:
            process = self.process
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout)
        except (subprocess.TimeoutExpired, KeyboardInterrupt):
            process.kill()
            process.wait()
        _out("Background worker stopped.")


def _stop_on_signals() -> dict[int, Any]:
    """SIGTERM (and SIGHUP) stop the server as Ctrl+C does, by raising KeyboardInterrupt; so does
    SIGINT itself, set here too: a process started in the background by a script (`serve &`)
    inherits SIGINT ignored, and Python then leaves it ignored."""

    def stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    previous = {}
    for name in ("SIGINT", "SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            number = getattr(signal, name)
            previous[number] = signal.signal(number, stop)
    return previous


def gunicorn_options(
    *, bind: str, processes: int, threads: int, trusted_proxy_count: int, quiet: bool = False
) -> dict[str, Any]:
    """How `internationale web` runs gunicorn: pre-forked processes of `threads` threads each.

    What it believes of the proxies in front follows TRUSTED_PROXY_COUNT, as Django does
    (settings: SECURE_PROXY_SSL_HEADER, core/http.py: the client's address): with a count above 0,
    X-Forwarded-Proto from any peer (the server must be reachable only through its proxies); with
    0, from none. gunicorn passes X-Forwarded-For and X-Forwarded-Proto on to Django either way
    and Django decides; this only keeps gunicorn's own idea of the scheme the same."""
    return {
        "bind": [bind],
        "workers": processes,
        "worker_class": "gthread",
        "threads": threads,
        "graceful_timeout": WEB_STOP_SECONDS,
        "forwarded_allow_ips": "*" if trusted_proxy_count > 0 else "",
        "secure_scheme_headers": {"X-FORWARDED-PROTO": "https"},
        # One server per data directory, several per machine: no control socket in $HOME.
        "control_socket_disable": True,
        "proc_name": "internationale-web",
        "errorlog": "-",
        "loglevel": "warning" if quiet else "info",
    }


def _web(args: argparse.Namespace) -> int:
    from django.conf import settings
    from django.core.wsgi import get_wsgi_application
    from django.db import connections
    from gunicorn.app.base import BaseApplication

    class WebApplication(BaseApplication):  # type: ignore[misc]
        def __init__(self, options: dict[str, Any]) -> None:
            self.options = options
            super().__init__()

        def load_config(self) -> None:
            for key, value in self.options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return get_wsgi_application()

    supervised = os.environ.get(PARENT_PID_ENV, "")
    if supervised.isdigit():
        _stop_when_orphaned(int(supervised))
    options = gunicorn_options(
        bind=f"fd://{args.fd}" if args.fd is not None else _bind_address(args.host, args.port),
        processes=args.processes,
        threads=args.threads,
        trusted_proxy_count=settings.INTERNATIONALE_TRUSTED_PROXY_COUNT,
        quiet=supervised.isdigit(),
    )
    connections.close_all()  # the processes are forked from this one: no shared connection
    WebApplication(options).run()  # until SIGTERM or Ctrl+C
    return 0


def _bind_address(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _listen(host: str, port: int) -> socket.socket:
    """The listening socket, opened by `serve` itself so that a taken port is a one-line error."""
    try:
        family = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM)[0][0]
        return socket.create_server((host, port), family=family, backlog=2048)
    except OSError as exc:
        raise CommandError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


class WebServer:
    """Runs `internationale web` (gunicorn: N web processes) as a child process, on the socket
    `serve` opened; it restarts web processes that stop, so `serve` only stops it."""

    def __init__(self, command: list[str], env: dict[str, str], listener: socket.socket) -> None:
        self.command = command
        self.env = env
        self.listener = listener
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        fd = self.listener.fileno()
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [*self.command, "--fd", str(fd)],
            env=self.env,
            pass_fds=(fd,),
            start_new_session=True,  # Ctrl+C reaches `serve`, which stops this once
        )
        self.listener.close()  # the web processes hold it now
        _out(f"Web server started (pid {self.process.pid}).")

    def wait(self) -> int:
        assert self.process is not None
        return self.process.wait()

    def stop(self, timeout: float = WEB_STOP_SECONDS + 5) -> None:
        process = self.process
        if process is None or process.poll() is not None:
            return
        process.terminate()  # gunicorn: stop accepting, answer the requests under way, exit
        try:
            process.wait(timeout)
        except (subprocess.TimeoutExpired, KeyboardInterrupt):
            process.kill()
            process.wait()
        _out("Web server stopped.")


def _serve(args: argparse.Namespace) -> int:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    from internationale.organizations.models import Organization
    from internationale.web import demo

    _out("Bringing the database up to date…")
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    # On the first start; later, to add what a demo loaded by an earlier version lacks.
    if args.demo and (demo.is_loaded() or not Organization.objects.exists()):
        demo.load_demo(stdout=sys.stdout)
    show_demo = demo.is_loaded()
    connections.close_all()
    listener = _listen(args.host, args.port)

    env = {**os.environ, PARENT_PID_ENV: str(os.getpid())}
    env.setdefault("INTERNATIONALE_DATA_DIR", str(settings.DATA_DIR))
    module = [sys.executable, "-m", "internationale.cli"]
    web = WebServer(
        [*module, "web", "--processes", str(args.web_processes), "--threads", str(args.threads)],
        env,
        listener,
    )
    supervisor = WorkerSupervisor([*module, "worker"], env)
    previous = _stop_on_signals()
    status = 0
    try:
        web.start()
        supervisor.start()
        _print_banner(args, settings, show_demo)
        code = web.wait()  # until Ctrl+C or SIGTERM
        _error(f"the web server stopped (exit status {code}): see the lines above")
        status = 1
    except KeyboardInterrupt:
        pass
    finally:
        _out("Stopping…")
        web.stop()
        supervisor.stop()
        listener.close()
        for number, handler in previous.items():
            signal.signal(number, handler)
    _out("Stopped.")
    return status


def _is_loopback(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _print_banner(args: argparse.Namespace, settings: Any, show_demo: bool) -> None:
    from internationale.web import demo

    url = f"http://{_display_host(args.host)}:{args.port}/"
    lines = [
        "",
        f"Internationale is running at {url}",
        f"  data: {settings.DATA_DIR}",
        f"  {args.web_processes} web process(es) of {args.threads} threads each, and a "
        "background worker",
    ]
    if args.host in ("0.0.0.0", "::"):  # noqa: S104
        lines.append("  listening on every interface: set ALLOWED_HOSTS to the names people use")
    if getattr(settings, "EMAIL_FILE_PATH", None) and "filebased" in settings.EMAIL_BACKEND:
        lines.append(
            f"  e-mail: written to files in {settings.EMAIL_FILE_PATH} (set EMAIL_HOST to send)"
        )
    if show_demo:
        lines += [
            "",
            f"Demo sign-ins (every demo person's password: {demo.DEMO_PASSWORD}):",
            demo.demo_sign_ins_text(),
        ]
        if not _is_loopback(args.host):
            lines += [
                "",
                "WARNING: the demo accounts, an operator among them, share a published password",
                "and this server listens beyond this machine. Do not use this database for real.",
            ]
    lines += ["", "Press Ctrl+C to stop.", ""]
    _out("\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
