"""Signing in on the start page: a name (and, if the clinic wants it, a staff id and a role) for the records.

Staff who share one computer account each sign in with their own name, so their answers are kept apart. Where a
hub or a class has already said who the learner is, the page only shows it: that name cannot be changed here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w

from .identity import Identity
from .markup import escape
from .quiz.render import status_html
from .quiz.views.style import html

__all__ = ["ROLES", "SignInView", "learner_id"]

ROLES = ("front desk", "nurse or medical assistant", "radiology technologist", "coordinator", "clinician", "other")
MAX_NAME = 500


def learner_id(name: str, staff_id: str) -> str:
    """The id records are kept under: the staff id when given (names can repeat), else the name as typed."""
    return " ".join((staff_id or name).split())[:MAX_NAME]


class SignInView(w.VBox):
    """The sign-in form, or who is signed in and how we know (with "Switch learner" where switching is allowed)."""

    def __init__(self, identity: Identity, on_sign_in: Callable[[str, str, str, str], Identity]) -> None:
        self._on_sign_in = on_sign_in
        self.name = w.Text(
            description="Your name:", placeholder="as it should appear on your records", style={"description_width": "10rem"}
        )
        self.staff_id = w.Text(description="Staff id (optional):", style={"description_width": "10rem"})
        self.role = w.Dropdown(
            options=[("— choose —", ""), *[(r.capitalize(), r) for r in ROLES]], value="", description="Role (optional):"
        )
        self.role.style.description_width = "10rem"
        self.save = w.Button(description="Sign in", button_style="primary")
        self.switch = w.Button(description="Switch learner")
        self.message = html("", "stemtrain-signin-message")
        self.save.on_click(lambda _b: self.submit())
        self.switch.on_click(lambda _b: self._show_form())
        super().__init__(layout=w.Layout(max_width="44rem"))
        self.add_class("stemtrain-signin")
        self._identity = identity
        self._show_identity() if identity.verified or identity.source in ("profile", "environment", "class", "given") else self._show_form()

    def __repr__(self) -> str:
        return f"Signed in as {self._identity.display_name} ({self._identity.how})."

    def submit(self, name: str | None = None, staff_id: str | None = None, role: str | None = None) -> Identity | None:
        """Sign in with what the form holds (or the values given, for tests); returns the new identity."""
        typed = " ".join((self.name.value if name is None else name).split())
        staff = " ".join((self.staff_id.value if staff_id is None else staff_id).split())
        chosen = self.role.value if role is None else role
        if not typed:
            self.message.value = status_html("Type your name first, then press Sign in.", kind="info")
            return None
        if len(typed) > MAX_NAME or len(staff) > MAX_NAME:
            self.message.value = status_html(f"Names and staff ids are at most {MAX_NAME} characters.", kind="info")
            return None
        try:
            self._identity = self._on_sign_in(learner_id(typed, staff), typed, staff, chosen)
        except Exception as exc:  # noqa: BLE001 - the records may be unusable: say so, keep the form
            self.message.value = status_html(f"You could not be signed in: {exc}")
            return None
        self._show_identity()
        return self._identity

    def _show_identity(self) -> None:
        who = self._identity
        text = f"<p>Signed in as <strong>{escape(who.display_name)}</strong> ({escape(who.how)}).</p>"
        switchable = not who.verified and who.source in ("profile", "os-account")
        self.message.value = text
        self.children = tuple([self.message, self.switch] if switchable else [self.message])

    def _show_form(self) -> None:
        self.message.value = "<p>Type your name so your answers are kept as yours. Staff id and role are optional.</p>"
        self.children = tuple([self.message, self.name, self.staff_id, self.role, self.save])

    @property
    def identity(self) -> Any:
        return self._identity
