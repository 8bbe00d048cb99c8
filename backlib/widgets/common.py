"""Shared pieces of the widgets: messages, time in words, the stylesheet and output helpers."""

from __future__ import annotations

import html
import json

import ipywidgets as widgets
from ipywidgets.widgets.widget_description import DescriptionWidget

from backlib.catalog import duration_words
from backlib.labels import DISCLAIMER
from backlib.store import Store

# Colours of the three message kinds (text, background, border).
_ALERT_KINDS = ("error", "warning", "info", "success")

STYLESHEET = """
<style>
.backlib-app, .backlib-builder, .backlib-logger, .backlib-dashboard { font-size: 14px; }
.backlib-heading { font-size: 16px; font-weight: 600; margin: 8px 0 2px; color: #1f2933; }
.backlib-hint { color: #52606d; font-size: 13px; }
.backlib-disclaimer { color: #52606d; font-size: 13px; border-left: 3px solid #9aa5b1;
  padding: 2px 8px; margin: 4px 0 8px; }
.backlib-alert { border-radius: 6px; padding: 8px 12px; margin: 4px 0; line-height: 1.4; }
.backlib-alert-error { background: #fde8e8; border: 1px solid #e0a3a3; color: #7a1d1d; }
.backlib-alert-warning { background: #fff6e0; border: 1px solid #e8c77a; color: #6b4a00; }
.backlib-alert-info { background: #e8f1fb; border: 1px solid #a9c6e8; color: #1c3d66; }
.backlib-alert-success { background: #e6f6ec; border: 1px solid #9fd3b1; color: #1d5c33; }
.backlib-field-error { color: #a12622; font-size: 13px; min-height: 0; }
.backlib-total { font-size: 16px; font-weight: 600; margin: 6px 0; }
.backlib-phase-title { font-size: 15px; font-weight: 600; margin: 10px 0 4px; color: #334e68; }
.backlib-item { border: 1px solid #d9e2ec; border-left-width: 5px; border-radius: 6px;
  padding: 8px 12px; margin: 6px 0; background: #ffffff; }
.backlib-item.backlib-phase-warmup { border-left-color: #f0b429; }
.backlib-item.backlib-phase-main { border-left-color: #2f80ed; }
.backlib-item.backlib-phase-cooldown { border-left-color: #27ab83; }
.backlib-item-head { display: flex; justify-content: space-between; gap: 12px; }
.backlib-item-name { font-weight: 600; font-size: 15px; }
.backlib-item-figure { float: right; margin: 2px 0 4px 10px; max-width: 45%; }
.backlib-item-figure svg { max-width: 100%; height: auto; display: block; }
.backlib-item::after { content: ""; display: block; clear: both; }
/* The guided session: its clock and controls in a bar that stays in view; the figure sits
   beside the steps so the panel is short. */
.backlib-guided { border: 1px solid #d9e2ec; border-radius: 8px; padding: 0 10px 6px;
  background: #ffffff; }
.backlib-guided-controls { position: sticky; top: 0; z-index: 5; background: #ffffff;
  border-bottom: 1px solid #d9e2ec; padding: 4px 0; }
.backlib-guided .backlib-item-figure { float: right; margin: 2px 0 4px 10px; max-width: 40%; }
/* Every widget box scrolls its own overflow, which would hold the sticky bar inside the
   panel: while a guided session shows, the boxes around it let the page's scroller hold it. */
.jp-OutputArea:has(.backlib-guided-controls),
.jp-OutputArea :has(.backlib-guided-controls) { overflow: visible !important; }
.backlib-item-dose { color: #243b53; white-space: nowrap; }
.backlib-item ol { margin: 4px 0 4px 18px; padding: 0; }
.backlib-item summary { cursor: pointer; color: #334e68; font-size: 13px; margin: 2px 0; }
.backlib-item-why { color: #486581; font-size: 13px; }
.backlib-item-stop { color: #8a2c0d; font-size: 13px; }
.backlib-item-caution { color: #6b4a00; font-size: 13px; }
.backlib-item-reason { color: #52606d; font-size: 12px; font-style: italic; }
.backlib-card-row { display: flex; flex-wrap: wrap; gap: 10px; margin: 6px 0; }
.backlib-card { border: 1px solid #d9e2ec; border-radius: 8px; padding: 8px 14px;
  min-width: 130px; background: #f8fafc; }
.backlib-card-label { color: #52606d; font-size: 12px; text-transform: uppercase; }
.backlib-card-value { font-size: 20px; font-weight: 600; color: #102a43; }
.backlib-card-note { font-size: 12px; color: #52606d; }
.backlib-countdown-label { font-size: 18px; font-weight: 600; }
.backlib-questionnaires { font-size: 14px; }
.backlib-number input { width: 5.5em; }
.backlib-question.widget-checkbox { height: auto; max-width: 100%; align-items: flex-start; }
.backlib-question .widget-label-basic, .backlib-question label { white-space: normal;
  overflow: visible; text-overflow: clip; line-height: 1.35; }
/* A focus ring anyone can see, on every control (keyboard users follow it). */
.backlib-app :focus-visible, .backlib-builder :focus-visible, .backlib-logger :focus-visible {
  outline: 3px solid #1f4fd8 !important; outline-offset: 2px; }
.backlib-number { width: auto; }
.backlib-log-row { border-bottom: 1px solid #eef2f7; padding: 2px 0 4px; max-width: 760px; }
.backlib-patient-bar { border-bottom: 1px solid #d9e2ec; padding: 4px 0 6px; margin-bottom: 6px; }
.backlib-bar-patient select { font-size: 15px; font-weight: 600; }
.backlib-programme { border-top: 1px solid #d9e2ec; margin-top: 8px; padding-top: 4px; }
.backlib-programme-summary { font-size: 14px; color: #243b53; margin: 2px 0 6px;
  max-width: 760px; }
.backlib-programme-items { max-width: 760px; }
.backlib-programme-item { border-bottom: 1px solid #eef2f7; padding: 1px 0; }
.backlib-programme-editor { background: #f8fafc; border: 1px solid #d9e2ec; border-radius: 6px;
  padding: 6px 10px; margin: 2px 0 6px; }
.backlib-programme-history { border-collapse: collapse; font-size: 13px; margin: 4px 0; }
.backlib-programme-history th, .backlib-programme-history td { text-align: left;
  vertical-align: top; padding: 4px 8px; border-bottom: 1px solid #d9e2ec; }
.backlib-programme-history th { color: #334e68; }
.backlib-programme-history td:nth-child(-n+2) { white-space: nowrap; }
/* Wide screens: text stays near its value (a readable measure), centred; a text box or a
   menu is as wide as what it holds, not the whole row. */
.backlib-app { max-width: 1180px; margin-left: auto; margin-right: auto; }
.backlib-app .widget-text, .backlib-app .widget-dropdown, .backlib-app .widget-datepicker {
  max-width: min(520px, 100%) !important; }
/* Phones: tab titles wrap rather than end in an ellipsis, and no control runs off the edge. */
@media (max-width: 600px) {
  /* On a phone the guided figure sits beside the steps, so the countdown stays in reach. */
  .backlib-guided .backlib-item-figure { float: right; margin: 2px 0 4px 8px; max-width: 48%; }
  .backlib-app .widget-tab.backlib-tabs > .lm-TabBar .lm-TabBar-tab { flex: 1 1 0;
    min-width: 0; height: auto; min-height: 36px; max-height: none; padding: 2px 1px;
    line-height: 1.15; display: flex; align-items: center; justify-content: center; }
  .backlib-app .widget-tab.backlib-tabs > .lm-TabBar { height: auto; min-height: 38px;
    font-size: 12px; }
  .backlib-app .widget-tab.backlib-tabs > .lm-TabBar .lm-TabBar-content {
    align-items: stretch; }
  .backlib-app .widget-tab.backlib-tabs > .lm-TabBar .lm-TabBar-tabLabel {
    white-space: normal; overflow: visible; text-overflow: clip; text-align: center; }
  .backlib-app .widget-inline-hbox.widget-dropdown { width: auto; max-width: 100%; }
  .backlib-app .backlib-q-instrument { flex: 0 1 auto; min-width: 0; }
  .backlib-app .widget-dropdown > select { max-width: 100%; min-width: 0; }
  /* Controls stack, and every box fits the screen. */
  .backlib-app .widget-hbox { flex-wrap: wrap; }
  .backlib-app .widget-inline-hbox { max-width: 100%; }
  .backlib-app .widget-text, .backlib-app .widget-textarea, .backlib-app .widget-datepicker,
  .backlib-app .widget-dropdown { width: auto !important; max-width: 100%; min-width: 0; }
  .backlib-app .widget-slider .slider-container { min-width: 0; }
  .backlib-app .widget-label { white-space: normal; width: auto !important; max-width: 100%; }
  .backlib-app .widget-checkbox { width: auto !important; max-width: 100%; height: auto; }
  .backlib-app .widget-checkbox .widget-label-basic { white-space: normal; overflow: visible; }
  .backlib-app .widget-gridbox { grid-template-columns: repeat(auto-fill, minmax(140px, 1fr))
    !important; }
  .backlib-programme-history, .backlib-programme-history tbody,
  .backlib-programme-history tr, .backlib-programme-history td { display: block; }
  .backlib-programme-history thead { display: none; }
  .backlib-programme-history tr { border-bottom: 1px solid #d9e2ec; padding: 4px 0; }
  .backlib-programme-history td { border: none; padding: 1px 0; }
  .backlib-programme-history td::before { content: attr(data-label) ": "; font-weight: 600;
    color: #334e68; }
  .backlib-app .widget-button { width: auto; max-width: 100%; white-space: normal;
    height: auto; min-height: 32px; }
}
</style>
"""


def stylesheet() -> widgets.HTML:
    """The shared stylesheet as an invisible HTML widget (every front-end adds one)."""
    sheet = widgets.HTML(STYLESHEET, layout=widgets.Layout(display="none"))
    return sheet


def alert(message: str, kind: str = "error") -> widgets.HTML:
    """A message in plain words: class `backlib-alert` and `backlib-alert-<kind>`; text escaped."""
    if kind not in _ALERT_KINDS:
        raise ValueError(f"kind: {kind!r} is not one of {', '.join(_ALERT_KINDS)}")
    box = widgets.HTML(f"<div>{html.escape(message)}</div>")
    box.add_class("backlib-alert")
    box.add_class(f"backlib-alert-{kind}")
    return box


def total_text(seconds: float, kcal: float | None = None) -> str:
    """'Total 19 min 30 s', with the energy when it is known."""
    text = f"Total {duration_words(seconds)}"
    if kcal is not None:
        text += f" · about {round(kcal)} kcal"
    return text


def patient_options(store: Store) -> list[tuple[str, str]]:
    """The store's patients as dropdown options: ('Name (id)', id), the id when unnamed."""
    options = []
    for row in store.patients().itertuples(index=False):
        name = _given_name(row.name) or row.patient_id
        options.append((f"{name} ({row.patient_id})", row.patient_id))
    return options


def registered_name(store: Store, patient_id: str) -> str | None:
    """The name the store holds for a patient, or None when it holds none."""
    rows = store.patients()
    found = rows.loc[rows["patient_id"] == patient_id, "name"]
    return _given_name(found.iloc[0]) if len(found) else None


def patient_name(store: Store, patient_id: str) -> str:
    """How a message names a patient: by their name, the id only when they have none."""
    return registered_name(store, patient_id) or patient_id


def _given_name(name: object) -> str | None:
    return name.strip() if isinstance(name, str) and name.strip() else None


def select_exactly(dropdown: widgets.Dropdown, store: Store, patient_id: str | None) -> None:
    """Reload a patient dropdown and select exactly ``patient_id`` (none when it is None or
    unknown): the app's one current patient, never "the first in the list" instead."""
    options = patient_options(store)
    ids = {value for _label, value in options}
    # Not under hold_trait_notifications: the dropdown learns its new options from their
    # notification, and a value set before that is refused.
    if tuple(dropdown.options) != tuple(options):
        dropdown.options = options
    dropdown.value = patient_id if patient_id in ids else None


def heading(text: str) -> widgets.HTML:
    box = widgets.HTML(html.escape(text))
    box.add_class("backlib-heading")
    return box


def hint(text: str) -> widgets.HTML:
    box = widgets.HTML(html.escape(text))
    box.add_class("backlib-hint")
    return box


def disclaimer() -> widgets.HTML:
    box = widgets.HTML(html.escape(DISCLAIMER))
    box.add_class("backlib-disclaimer")
    return box


def show(output: widgets.Output, *objects: object) -> None:
    """Replace what an Output shows; unlike `with out:`, works in plain Python, Lab and Voila."""
    output.outputs = ()
    for obj in objects:
        output.append_display_data(obj)


PLOTLY_MIME = "application/vnd.plotly.v1+json"


def show_figures(output: widgets.Output, figures: list) -> None:
    """Show plotly figures through their mimetype, whatever renderer the process defaults to.

    Outside a kernel plotly picks no renderer and a figure would display as nothing; the
    mimetype bundle is drawn by the jupyterlab-plotly extension in Lab and Voila, offline.
    """
    output.outputs = tuple(
        {
            "output_type": "display_data",
            "data": {
                PLOTLY_MIME: json.loads(figure.to_json()),
                "text/plain": f"<Figure: {figure.layout.title.text or 'chart'}>",
            },
            "metadata": {},
        }
        for figure in figures
    )


def labelled(label: str, control: widgets.Widget, width: str = "170px") -> widgets.HBox:
    """A control with its label on the left, so long labels are never cut off.

    A control that takes a description gets the label as its own (an HTML label tied to the
    input), so a screen reader names it and a click on the words reaches it; others get the
    words beside them.
    """
    if isinstance(control, DescriptionWidget) and not control.description:
        control.description = label
        control.style.description_width = width
        slider = isinstance(control, widgets.IntSlider | widgets.FloatSlider)
        if slider and not control.layout.width:
            # The label now sits inside the slider's box: widen it so the track keeps its length.
            control.layout.width = f"calc({width} + 300px)"
            control.layout.max_width = "100%"
        return widgets.HBox([control], layout=widgets.Layout(align_items="center"))
    text = widgets.HTML(html.escape(label), layout=widgets.Layout(width=width))
    return widgets.HBox([text, control], layout=widgets.Layout(align_items="center"))


def question_box(question: str) -> widgets.Checkbox:
    """A yes/no question as a checkbox whose label is the question, wrapping on narrow screens."""
    box = widgets.Checkbox(
        value=False, description=question, indent=False, layout=widgets.Layout(width="auto")
    )
    box.add_class("backlib-question")
    return box


def alert_html(message: str, kind: str = "error") -> str:
    """The markup of `alert`, for a message placed inside another HTML widget; text escaped."""
    if kind not in _ALERT_KINDS:
        raise ValueError(f"kind: {kind!r} is not one of {', '.join(_ALERT_KINDS)}")
    return f'<div class="backlib-alert backlib-alert-{kind}">{html.escape(message)}</div>'
