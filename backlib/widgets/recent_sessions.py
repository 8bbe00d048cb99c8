"""The patient's last sessions, to open one for correction or to delete one (after asking)."""

from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd
import traitlets

from backlib.store import Store
from backlib.widgets.common import alert, hint

RECENT_SHOWN = 8


def session_label(row: pd.Series) -> str:
    """'Tue 1 Dec 2026, 18:05 · pain 3 → 2' for a sessions-frame row."""
    when = pd.Timestamp(row["started_at"]).strftime("%a %-d %b %Y, %H:%M")
    before, after = row["pain_before"], row["pain_after"]
    pains = " → ".join("–" if pd.isna(p) else str(int(p)) for p in (before, after))
    return f"{when} · pain {pains}"


class RecentSessions(widgets.VBox):
    """Pick one of the last sessions: *Correct it* opens it in the logger (``opened`` holds its
    id), *Delete it* asks first and then removes it through the store (``deleted``)."""

    opened = traitlets.Int(None, allow_none=True)
    deleted = traitlets.Int(None, allow_none=True)

    def __init__(self, store: Store) -> None:
        self.store = store
        self.patient_id: str | None = None
        self.choice = widgets.Dropdown(
            options=[], description="Session", layout=widgets.Layout(width="auto")
        )
        self.choice.add_class("backlib-recent-choice")
        self.open_button = widgets.Button(description="Correct it")
        self.open_button.add_class("backlib-recent-open")
        self.delete_button = widgets.Button(description="Delete it…", button_style="warning")
        self.delete_button.add_class("backlib-recent-delete")
        self.confirm = widgets.VBox()
        self.confirm.add_class("backlib-recent-confirm")
        self.open_button.on_click(lambda _b: self._open())
        self.delete_button.on_click(lambda _b: self._ask())
        self.empty = hint("No sessions logged yet for this patient.")
        self.controls = widgets.HBox(
            [self.choice, self.open_button, self.delete_button],
            layout=widgets.Layout(flex_flow="row wrap"),
        )
        super().__init__([self.controls, self.confirm])
        self.add_class("backlib-recent")

    def show_patient(self, patient_id: str | None) -> None:
        """List the patient's last sessions, newest first."""
        self.patient_id = patient_id
        self.confirm.children = ()
        sessions = self.store.sessions(patient_id) if patient_id else pd.DataFrame()
        if not len(sessions):
            self.choice.options = []
            self.children = (self.empty,)
            return
        last = sessions.iloc[::-1].head(RECENT_SHOWN)
        options = [(session_label(row), int(row["session_id"])) for _, row in last.iterrows()]
        self.choice.options = options
        self.choice.value = options[0][1]  # the newest
        self.children = (self.controls, self.confirm)

    def _open(self) -> None:
        if self.choice.value is not None:
            self.opened = None
            self.opened = int(self.choice.value)

    def _ask(self) -> None:
        if self.choice.value is None:
            return
        label = dict((v, k) for k, v in self.choice.options)[self.choice.value]
        yes = widgets.Button(description="Delete the session", button_style="danger")
        yes.add_class("backlib-recent-delete-yes")
        no = widgets.Button(description="Keep it")
        no.add_class("backlib-recent-delete-no")
        yes.on_click(lambda _b, sid=int(self.choice.value): self._delete(sid))
        no.on_click(lambda _b: setattr(self.confirm, "children", ()))
        self.confirm.children = (
            widgets.HTML(
                f"<b>Delete the session of {html.escape(label)}?</b> Its exercises and pain "
                "scores go with it; this cannot be undone."
            ),
            widgets.HBox([yes, no]),
        )

    def _delete(self, session_id: int) -> None:
        self.store.delete_session(session_id)
        self.show_patient(self.patient_id)
        self.confirm.children = (alert("The session was deleted.", "success"),)
        self.deleted = None
        self.deleted = session_id
