"""`planassist users ...`: the app's users and their passwords (the users file of
PLANASSIST_USER_FILE, or --file)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from assistant.access.profiles import ROLES, load_users
from ingest.errors import UserError
from ingest.metadata import LEVELS


def _file(obj, file: Path | None) -> Path:
    path = file or obj.settings.user_file
    if not path:
        raise UserError("no users file: pass --file PATH or set PLANASSIST_USER_FILE")
    return Path(path)


def _password(password_stdin: bool, required: bool) -> str | None:
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise UserError("no password on standard input")
        return password
    if not required:
        return None
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


FILE_OPTION = click.option("--file", type=click.Path(dir_okay=False, path_type=Path),
                           help="The users file (default PLANASSIST_USER_FILE).")
STDIN_OPTION = click.option("--password-stdin", is_flag=True,
                            help="Read the password from the first line of standard input (for scripts).")


@click.group("users")
def users_command():
    """The app's users: role, access and password (stored as a salted scrypt hash)."""


@users_command.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), default=None, help="reader (default) or curator.")
@click.option("--max-marking", type=click.Choice(LEVELS, case_sensitive=False), default=None,
              help="Highest marking the user may see (default: no limit).")
@click.option("--caveats", default=None, help="Caveats held, comma separated (e.g. GBR,NOFORN).")
@click.option("--email", default=None, help="The e-mail a proxy or identity provider passes for this user.")
@FILE_OPTION
@STDIN_OPTION
@click.pass_obj
def users_add(obj, name, role, max_marking, caveats, email, file, password_stdin):
    """Add a user, or change an existing one's fields and password."""
    from assistant.access.users_file import save_user

    path = _file(obj, file)
    password = _password(password_stdin, required=True)
    profile = save_user(path, name, password=password, role=role, max_marking=max_marking,
                        caveats=None if caveats is None else tuple(caveats.split(",")), email=email)
    click.echo(f"{profile.name}: {profile.role}, max marking {profile.max_marking or 'no limit'}, "
               f"caveats {', '.join(profile.caveats) or 'none'} ({path})")


@users_command.command("passwd")
@click.argument("name")
@FILE_OPTION
@STDIN_OPTION
@click.pass_obj
def users_passwd(obj, name, file, password_stdin):
    """Set an existing user's password."""
    from assistant.access.users_file import save_user

    path = _file(obj, file)
    if name not in load_users(path):
        raise UserError(f"no user '{name}' in {path}")
    save_user(path, name, password=_password(password_stdin, required=True))
    click.echo(f"{name}: password changed ({path})")


@users_command.command("remove")
@click.argument("name")
@FILE_OPTION
@click.pass_obj
def users_remove(obj, name, file):
    """Remove a user."""
    from assistant.access.users_file import remove_user

    path = _file(obj, file)
    remove_user(path, name)
    click.echo(f"{name}: removed ({path})")


@users_command.command("list")
@FILE_OPTION
@click.pass_obj
def users_list(obj, file):
    """List the users (never their hashes)."""
    for profile in load_users(_file(obj, file)).values():
        click.echo(f"{profile.name}\t{profile.role}\t{profile.max_marking or 'no limit'}\t"
                   f"{','.join(profile.caveats) or '-'}")
