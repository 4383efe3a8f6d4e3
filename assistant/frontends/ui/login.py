"""Who is using this session, decided by app.py before any page runs:

- no users file (PLANASSIST_USER_FILE unset): the single-user laptop default, no login; the
  profile is the one the settings give (PLANASSIST_MAX_MARKING / PLANASSIST_CAVEATS), else
  none (every document);
- a users file and PLANASSIST_TRUSTED_USER_HEADER: the user named (or e-mailed) in that
  request header by the reverse proxy in front of the app (oauth2-proxy and the like); only
  safe when the app is reachable through that proxy alone;
- a users file and PLANASSIST_AUTH=oidc: Streamlit's own login (st.login, [auth] in
  .streamlit/secrets.toml), the user whose name or `email` is st.user.email;
- a users file otherwise: a login form checked against the file's password hashes.

The signed-in name lives in st.session_state, so sessions never share it; the profile is
read from the file again on every run, so a changed role or marking applies at once and a
removed user is signed out."""

from __future__ import annotations

import os
import threading
import time
from dataclasses import replace

import streamlit as st

from assistant.access.profiles import UserProfile, profile_for
from assistant.config import Settings
from assistant.access.users_file import authenticate, find_user, profile as file_profile
from ingest.errors import UserError

USER_KEY = "login_user"
PROFILE_KEY = "login_profile"
TRUSTED_HEADER_ENV = "PLANASSIST_TRUSTED_USER_HEADER"
AUTH_ENV = "PLANASSIST_AUTH"
FAILED_LOGIN_DELAY = 1.0  # seconds per failed attempt so far for that user name, capped below
MAX_DELAY = 8.0


class FailedLogins:
    """Failed sign-ins per user name, kept in the server process (not in a browser session,
    which a guesser renews at will): each miss makes the next try for that name slower,
    whichever session it comes from; a success clears the name."""

    def __init__(self):
        self._counts: dict[str, int] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _key(name: str) -> str:
        return (name or "").strip().lower()

    def delay(self, name: str) -> float:
        with self._lock:
            return min(MAX_DELAY, FAILED_LOGIN_DELAY * self._counts.get(self._key(name), 0))

    def failed(self, name: str) -> int:
        with self._lock:
            key = self._key(name)
            self._counts[key] = self._counts.get(key, 0) + 1
            return self._counts[key]

    def succeeded(self, name: str) -> None:
        with self._lock:
            self._counts.pop(self._key(name), None)


FAILED_LOGINS = FailedLogins()  # one per server process: shared by every session


def current_profile() -> UserProfile | None:
    """The profile of this session's user (None: the single-user default, no limit). Pages
    call it after app.py's gate() has run."""
    return st.session_state.get(PROFILE_KEY)


def _signed_in(profile: UserProfile | None, how: str, can_log_out: bool) -> None:
    st.session_state[PROFILE_KEY] = profile
    with st.sidebar:
        if profile is None:
            st.caption("Single-user mode: no login, every document visible. "
                       "Set PLANASSIST_USER_FILE to require a login.")
            return
        st.caption(f"Signed in as **{profile.name}** ({profile.role}; "
                   f"up to {profile.max_marking or 'any marking'}"
                   + (f", caveats {', '.join(profile.caveats)}" if profile.caveats else "") + f") {how}")
        if can_log_out and st.button("Log out", key="logout", icon=":material/logout:"):
            log_out()


def log_out() -> None:
    for key in list(st.session_state.keys()):  # chats, drafts, mappings: nothing stays for the next user
        del st.session_state[key]
    if os.environ.get(AUTH_ENV, "").lower() == "oidc":
        st.logout()
    st.rerun()


def _refuse(message: str) -> None:
    st.session_state.pop(PROFILE_KEY, None)
    st.error(message, icon=":material/lock:")
    st.stop()


def gate() -> UserProfile | None:
    """Let the run through with the session's profile, or show the login and stop."""
    settings = Settings.from_env()
    if not settings.user_file:
        try:
            profile = profile_for(settings)
        except UserError as exc:
            _refuse(f"The app's access settings are wrong: {exc}")
        if profile is not None:  # a limit from the settings; the laptop's one user still curates
            profile = replace(profile, role="curator")
            _signed_in(profile, "by the settings (single-user mode)", can_log_out=False)
        else:
            _signed_in(None, "", can_log_out=False)
        return profile
    path = settings.user_file
    if not path.is_file():
        _refuse(f"The users file {path} (PLANASSIST_USER_FILE) does not exist: create it with "
                "`planassist users add NAME`, or unset PLANASSIST_USER_FILE for the single-user mode.")
    try:
        header = os.environ.get(TRUSTED_HEADER_ENV, "").strip()
        if header:
            # signing out is the proxy's (e.g. /oauth2/sign_out), not the app's
            return _from_identity(path, st.context.headers.get(header), f"the {header} header", "", False)
        if os.environ.get(AUTH_ENV, "").lower() == "oidc":
            if not st.user.is_logged_in:
                st.title("Planning Assistant")
                st.button("Log in", on_click=st.login, type="primary", icon=":material/login:")
                st.stop()
            return _from_identity(path, st.user.get("email"), "your identity provider's e-mail", "(single sign-on)",
                                  True)
        name = st.session_state.get(USER_KEY)
        if name:
            profile = file_profile(path, name)
            if profile is None:
                st.session_state.pop(USER_KEY, None)
                _refuse(f"The user {name} no longer exists: sign in again.")
            _signed_in(profile, "", can_log_out=True)
            return profile
    except UserError as exc:
        _refuse(f"The users file cannot be read: {exc}")
    login_form(path)
    st.stop()


def identity_profile(path, login: str | None, source: str) -> UserProfile:
    """The profile for a login a proxy or identity provider vouched for (the user's name or
    `email` in the users file); UserError when there is none."""
    if not login or not login.strip():
        raise UserError(f"no user was passed in {source}: open the app through its login")
    name = find_user(path, login.strip())
    profile = file_profile(path, name) if name else None
    if profile is None:
        raise UserError(f"{login.strip()} has no profile in this app's users file: ask its administrator")
    return profile


def _from_identity(path, login: str | None, source: str, how: str, can_log_out: bool) -> UserProfile:
    try:
        profile = identity_profile(path, login, source)
    except UserError as exc:
        _refuse(f"Not signed in: {exc}.")
    _signed_in(profile, how, can_log_out=can_log_out)
    return profile


def login_form(path) -> None:
    st.title("Planning Assistant")
    st.caption("Sign in to see the documents your access allows.")
    with st.form("login"):
        name = st.text_input("User name", key="login_name")
        password = st.text_input("Password", type="password", key="login_password")
        submitted = st.form_submit_button("Sign in", type="primary")
    if not submitted:
        return
    delay = FAILED_LOGINS.delay(name)
    if delay:
        time.sleep(delay)  # each miss for this name makes its next try slower, in any session
    try:
        profile = authenticate(path, name.strip(), password)
        del st.session_state["login_password"]  # the password does not stay in the session
    except UserError as exc:
        _refuse(f"The users file cannot be read: {exc}")
    if profile is None:
        failures = FAILED_LOGINS.failed(name)
        st.error("Unknown user or wrong password." +
                 (f" ({failures} failed attempts; each further one waits longer.)" if failures > 1 else ""),
                 icon=":material/lock:")
        return
    FAILED_LOGINS.succeeded(name)
    st.session_state[USER_KEY] = profile.name
    st.rerun()
