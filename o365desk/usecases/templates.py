"""Export connections as a template, preview a template, create its connections."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from o365desk.core import nickname as nick
from o365desk.core import safe_read
from o365desk.core import template as tpl
from o365desk.core.connection import Connection, Kind
from o365desk.core.words import plural
from o365desk.services import Services


@dataclasses.dataclass(frozen=True)
class PreviewItem:
    """One connection of a template: the nickname it would be saved as, and why it would
    not be created ("" when it would)."""

    number: int
    entry: tpl.TemplateEntry
    nickname: str
    refusal: str = ""
    # The one refusal is a nickname already taken: under another nickname it would do.
    renamable: bool = False

    @property
    def created(self) -> bool:
        return not self.refusal

    def draft(self) -> Connection:
        return self.entry.draft(self.nickname)


@dataclasses.dataclass(frozen=True)
class Preview:
    """What importing a template would do, against the connections saved now."""

    items: tuple[PreviewItem, ...]

    @property
    def to_create(self) -> tuple[PreviewItem, ...]:
        return tuple(item for item in self.items if item.created)

    @property
    def refused(self) -> tuple[PreviewItem, ...]:
        return tuple(item for item in self.items if not item.created)


def export(services: Services, keys: list[str], locked: frozenset[str] = frozenset()) -> str:
    """The template text for the connections named by `keys` (nicknames or IDs)."""
    unknown = set(locked) - set(tpl.LOCKABLE)
    if unknown:
        raise ValueError(f"\"{tpl.shown(sorted(unknown)[0])}\" is not a field that can be "
                         f"locked; those are {', '.join(tpl.LOCKABLE)}.")
    connections: list[Connection] = []
    for key in keys:
        connection = services.store.find(key)
        if connection.damage:
            raise ValueError(f"\"{connection.nickname}\" can't be exported: its saved details "
                             f"are damaged. {connection.damage}")
        if all(c.id != connection.id for c in connections):
            connections.append(connection)
    if not connections:
        raise ValueError("Name at least one connection to export.")
    from o365desk.core import effective_settings

    # The redirect URI is not a connection's own: the one its sign-in uses is o365desk's
    # setting in force (the policy's, settings.json's or the default).
    redirect_uri = effective_settings.load().redirect_uri
    template = tpl.Template(tuple(tpl.entry_for(c, frozenset(locked), redirect_uri)
                                  for c in connections))
    return tpl.dumps(template)


def read(path: Path) -> tpl.Template:
    """The checked template in the file at `path`; TemplateError saying what is wrong."""
    try:
        raw = safe_read.read_capped(path, tpl.MAX_BYTES)
    except FileNotFoundError:
        raise tpl.TemplateError(f"There is no file at {path}. Check the name and try "
                                "again.") from None
    except safe_read.TooLarge:
        raise tpl.TemplateError(f"{path} can't be used as a template because it is larger "
                                f"than {tpl.MAX_BYTES >> 20} MB, far more than a template "
                                "needs. Nothing was created.") from None
    except safe_read.Unreadable as exc:
        raise tpl.TemplateError(f"This can't be used as a template because {exc}.") from None
    except OSError as exc:
        raise tpl.TemplateError(f"o365desk could not read {path} ({exc.strerror or exc}). "
                                "Check that you may read it, then try again.") from None
    return tpl.parse_bytes(raw)


def preview(services: Services, template: tpl.Template | Path,
            nickname: str | None = None) -> Preview:
    """What importing `template` would create and refuse, and why, against the connections
    saved now. `nickname`: the name to save a one-connection template's connection as."""
    if isinstance(template, Path):
        template = read(template)
    if nickname is not None and len(template.entries) != 1:
        raise ValueError(f"This template has {len(template.entries)} connections; another "
                         "nickname can be given only for a template of one connection.")
    from o365desk.core import policy

    in_force = policy.load()
    services.store.load()
    taken = {nick.fold(c.nickname): c.nickname for c in services.store.connections}
    items = []
    for number, entry in enumerate(template.entries, start=1):
        name = entry.nickname if nickname is None else nick.validate(nickname)
        # The machine's IT policy decides here as for any new connection (a damaged policy
        # refuses them all, naming what IT must fix); another nickname would not help.
        refusal = _no_application_variant(entry) or in_force.refusal(entry.draft(name))
        renamable = not refusal and nick.fold(name) in taken
        if renamable:
            refusal = (f"A connection called \"{taken[nick.fold(name)]}\" already exists, so "
                       "this one needs another nickname.")
        items.append(PreviewItem(number, entry, name, refusal, renamable))
    return Preview(tuple(items))


def _no_application_variant(entry: tpl.TemplateEntry) -> str:
    """Why an app-only entry can't be created as it is: Graph permissions it lists that an
    app on its own can't be given (delegated only), as `o365desk add --app-only` refuses
    them; "" when there are none (or it is no app-only entry)."""
    if entry.kind != Kind.APP_ONLY:
        return ""
    from o365desk.catalog import get_catalog

    delegated_only = get_catalog(include_tenant=True).delegated_only(list(entry.scopes))
    if not delegated_only:
        return ""
    return plural(len(delegated_only),
                  "{names} is a permission for a signed-in person only; an app on its own "
                  "can't be given it.",
                  "{names} are permissions for a signed-in person only; an app on its own "
                  "can't be given them.", names=", ".join(delegated_only))


def import_template(services: Services, preview: Preview) -> list[Connection]:
    """Create the connections the preview says will be created (not signed in, like
    `o365desk add`): all of them, or none when any is refused meanwhile."""
    from o365desk.usecases.connections import check_policy

    drafts = [item.draft() for item in preview.to_create]
    for draft in drafts:  # the policy may have changed since the preview
        check_policy(draft)
    if not drafts:
        raise ValueError("Nothing was created: no connection of the template can be "
                         "created as it is (see why above).")
    return services.store.add_all(drafts)
