"""The widgets' shared pieces: total time, escaped alerts, outputs that replace what they show."""

from __future__ import annotations

from backlib.widgets.common import alert, show, total_text


def test_total_text_starts_with_total_and_adds_energy_when_known():
    assert total_text(1170) == "Total 19 min 30 s"
    assert total_text(1200, 84.6) == "Total 20 min · about 85 kcal"


def test_alert_escapes_the_message_and_carries_the_alert_classes():
    box = alert("<b>pain</b> & more", "warning")
    assert "<b>" not in box.value and "&lt;b&gt;" in box.value
    assert {"backlib-alert", "backlib-alert-warning"} <= set(box._dom_classes)


def test_show_replaces_what_an_output_displays_outside_a_kernel():
    import ipywidgets as widgets

    out = widgets.Output()
    show(out, "first")
    show(out, "second", "third")
    assert [o["data"]["text/plain"] for o in out.outputs] == ["'second'", "'third'"]
