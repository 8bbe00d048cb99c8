"""The programme sheet: a patient's home page, complete, escaped, self-contained and printable."""

from __future__ import annotations

import ast
import dataclasses
import datetime as dt
import re
import shutil
import subprocess
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from catalog_factory import realistic_catalog

import backlib.education
from backlib import plan_routine
from backlib.calendar_export import frequency_words
from backlib.catalog import Catalog
from backlib.constants import SEVERE_PAIN
from backlib.education import ABOUT_YOUR_BACK, FLARE_UP_ADVICE, FLARE_UP_HELP, FLARE_UP_WHAT
from backlib.errors import RequestError
from backlib.labels import DISCLAIMER, PHASE_TITLES
from backlib.plan.request import resolve_catalog
from backlib.programme import Programme
from backlib.programme_sheet import programme_sheet_html

CATALOG = realistic_catalog()
WEDNESDAY = dt.date(2026, 12, 9)


@pytest.fixture(scope="module")
def programme() -> Programme:
    routine = plan_routine(["lower_back", "glutes"], 20, pain=2, catalog=CATALOG)
    return Programme.from_routine(routine, weekdays=["mon", "wed", "fri"])


@pytest.fixture(scope="module")
def page(programme) -> str:
    return programme.to_html(
        patient_name="Ann Smith", clinician="J. Okafor", start=WEDNESDAY, catalog=CATALOG
    )


def _section(page: str, css_class: str) -> str:
    start = page.index(f'class="{css_class}"')
    return page[start : page.index("</section>", start)]


def _flare_up_plan(page: str) -> str:
    """Both flare-up boxes: the gentle version, then the advice and when to get help."""
    return page[page.index('class="box flare"') : page.index('class="disclaimer"')]


def test_the_sheet_names_the_patient_and_the_clinician_when_given(programme):
    page = programme.to_html(
        patient_name="Ann Smith", clinician="J. Okafor", clinic="Riverside", catalog=CATALOG
    )
    assert "Ann Smith" in page and "J. Okafor" in page and "Riverside" in page
    bare = programme.to_html(patient_name="  ", catalog=CATALOG)
    assert "For:" not in bare and "Clinician:" not in bare and "Clinic:" not in bare


def test_names_given_by_a_person_are_escaped(programme):
    page = programme.to_html(
        patient_name="<script>alert(1)</script>",
        clinician="O'Neil & Co",
        clinic="<b>Back</b> clinic",
        catalog=CATALOG,
    )
    assert "<script" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "O&#x27;Neil &amp; Co" in page
    assert "<b>" not in page and "&lt;b&gt;Back&lt;/b&gt; clinic" in page


def test_catalog_text_is_escaped(page):
    # The synthetic catalog's steps contain "<and>" and "&".
    assert "&lt;and&gt;" in page and "<and>" not in page
    assert "Breathe &amp; relax." in page


def test_the_sheet_shows_the_version_the_date_and_the_frequency_in_words(programme):
    saved = dataclasses.replace(programme, version=3, created=dt.datetime(2026, 12, 1, 9, 30))
    page = saved.to_html(catalog=CATALOG)
    assert "version 3" in page and "1 Dec 2026" in page
    assert escape(frequency_words(saved)) in page
    assert "draft" in programme.to_html(catalog=CATALOG), "an unsaved programme says so"


def test_each_exercise_comes_under_its_phase_with_dose_purpose_and_steps(programme, page):
    for item in programme.routine(catalog=CATALOG).items:
        block = page[page.index(f"<h3>{escape(item.name)} — ") :]
        block = block[: block.index("</div>")]
        assert escape(item.dose_text) in block
        assert f"Why: {escape(item.why)}" in block
        for step in item.exercise.steps:
            assert escape(step) in block
        for note in item.caution_notes:
            assert escape(note) in block
    for phase in {item.phase for item in programme.items}:
        assert f"<h2>{PHASE_TITLES[phase]}</h2>" in page


def test_stop_if_appears_once_for_each_item(programme, page):
    assert page.count("Stop if:") == len(programme.items)


def test_a_stop_rule_that_already_says_stop_if_is_not_labelled_twice():
    catalog = Catalog(
        tuple(
            dataclasses.replace(e, stop_if=f"Stop if you feel sharp pain in {e.name}.")
            for e in CATALOG
        )
    )
    programme = Programme.from_routine(plan_routine(["lower_back"], 15, pain=2, catalog=catalog))
    page = programme.to_html(catalog=catalog)
    assert "Stop if: Stop" not in page
    assert page.count('class="stop"') == page.count("Stop if") == len(programme.items)
    for item in programme.items:
        assert page.count(f"Stop if you feel sharp pain in {catalog[item.exercise_id].name}.") == 1


def test_the_packaged_catalog_never_doubles_the_stop_label():
    routine = plan_routine(["lower_back", "glutes", "neck"], 30, pain=2)
    programme = Programme.from_routine(routine)
    page = programme.to_html()
    assert "Stop if: Stop" not in page
    assert page.count('class="stop"') == len(programme.items)


def test_the_tick_table_has_a_box_for_each_scheduled_day_of_each_week(programme, page):
    ticks = _section(page, "keep sessions")
    assert ticks.count('<td class="tick"></td>') == 6 * 3
    assert re.findall(r'<th scope="col">(\w+)</th>', ticks) == ["Week", "Mon", "Wed", "Fri"]
    # Rows start on the Monday of the week holding `start`.
    assert "week of 7 Dec 2026" in ticks and "week of 11 Jan 2027" in ticks
    assert "week of 18 Jan 2027" not in ticks


def test_the_tick_table_follows_the_weeks_and_the_frequency_asked(programme):
    twice = programme.with_schedule(2)
    page = twice.to_html(weeks=4, start=dt.date(2027, 1, 4), catalog=CATALOG)
    assert page.count('<td class="tick"></td>') == 4 * 2
    assert "week of 4 Jan 2027" in page and "week of 25 Jan 2027" in page


def test_the_tick_table_starts_this_week_by_default(programme):
    today = dt.date.today()
    monday = today - dt.timedelta(days=today.weekday())
    page = programme.to_html(catalog=CATALOG)
    assert f"week of {monday.day} {monday:%b %Y}" in page


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"weeks": 0}, "weeks"),
        ({"weeks": 53}, "weeks"),
        ({"weeks": True}, "weeks"),
        ({"start": dt.datetime(2026, 12, 9, 10, 0)}, "start"),
        ({"start": "2026-12-09"}, "start"),
    ],
)
def test_a_bad_number_of_weeks_or_start_is_refused_naming_the_field(programme, arguments, field):
    with pytest.raises(RequestError) as caught:
        programme.to_html(catalog=CATALOG, **arguments)
    assert caught.value.field == field


def test_the_about_your_back_box_carries_each_key_message(page):
    box = _section(page, "box about")
    assert "About your back" in box
    for message in ABOUT_YOUR_BACK:
        assert escape(message.heading) in box and escape(message.text) in box
    text = " ".join(m.text for m in ABOUT_YOUR_BACK).lower()
    for idea in ("seldom a sign of serious", "not that it is damaged", "usual day", "little more"):
        assert idea in text


def test_the_when_to_get_help_message_names_two_weeks_and_the_warning_signs():
    help_text = next(m.text for m in ABOUT_YOUR_BACK if m.heading == "When to get help")
    assert "after 2 weeks" in help_text and "GP or physiotherapist" in help_text
    assert "urgent medical help" in help_text and "urine or stools" in help_text


def test_every_education_message_names_its_source_in_a_comment():
    source = Path(backlib.education.__file__).read_text(encoding="utf-8").splitlines()
    calls = [
        node.lineno
        for node in ast.walk(ast.parse("\n".join(source)))
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "KeyMessage"
    ]
    assert len(calls) == len(ABOUT_YOUR_BACK)
    for line in calls:
        comment = source[line - 2].strip()
        assert comment.startswith("# ") and re.search(r"\d{4}|NHS|NICE", comment), comment


def test_the_flare_up_plan_lists_the_gentle_version_at_its_eased_doses(programme, page):
    plan = _flare_up_plan(page)
    gentle = programme.gentle_routine(catalog=CATALOG)
    usual = {i.exercise_id: i.dose_text for i in programme.routine(catalog=CATALOG).items}
    assert gentle.items, "the gentle version has exercises"
    for item in gentle.items:
        assert f"{escape(item.name)}: <strong>{escape(item.dose_text)}</strong>" in plan
    eased = [i for i in gentle.items if i.dose_text != usual[i.exercise_id]]
    assert eased, "some doses are eased on a bad day"
    for item in eased:
        assert f"<strong>{escape(usual[item.exercise_id])}</strong>" not in plan


def test_the_gentle_version_is_the_programme_at_severe_pain(programme):
    gentle = programme.gentle_routine(catalog=CATALOG)
    severe = programme.routine(pain=SEVERE_PAIN, catalog=CATALOG)
    assert [i.dose() for i in gentle.items] == [i.dose() for i in severe.items]
    assert gentle.pain == SEVERE_PAIN


def test_the_flare_up_plan_names_what_the_gentle_version_leaves_out():
    routine = plan_routine(["lower_back", "glutes"], 20, pain=2)
    programme = Programme.from_routine(routine)
    gentle = {i.exercise_id for i in programme.gentle_routine().items}
    left = [i for i in programme.exercise_ids if i not in gentle]
    assert left, "the packaged programme has work that waits on a bad day"
    plan = _flare_up_plan(programme.to_html())
    for exercise_id in left:
        assert escape(resolve_catalog(None)[exercise_id].name) in plan


def test_the_flare_up_plan_says_how_long_what_to_do_and_when_to_get_help(page):
    plan = _flare_up_plan(page)
    assert escape(FLARE_UP_WHAT) in plan and "2 to 7 days" in plan
    for line in FLARE_UP_ADVICE:
        assert escape(line) in plan
    assert "little and often" in plan and "bed rest" in plan
    assert escape(FLARE_UP_HELP) in plan and "14 days" in plan and "urgent" in plan


def test_the_sheet_needs_nothing_from_elsewhere(page):
    assert not re.search(r"(?i)(https?:|//[a-z]|<script|<link|<img|@import|url\()", page)


def test_the_sheet_is_well_formed_and_ends_with_the_disclaimer(page):
    assert page.startswith("<!DOCTYPE html>")
    parser = HTMLParser()
    parser.feed(page)
    parser.close()
    body = page[: page.index("</body>")]
    assert body.endswith(f'<p class="disclaimer">{escape(DISCLAIMER)}</p></div>')


def test_the_print_rules_keep_items_boxes_and_headings_whole(page):
    style = page[page.index("<style>") : page.index("</style>")]
    kept_whole = r"\.item, \.card, \.box, \.keep, table\.ticks \{[^}]*break-inside: avoid"
    assert re.search(kept_whole, style)
    assert re.search(r"h1, h2, h3 \{[^}]*break-after: avoid; page-break-after: avoid", style)
    # Each phase heading shares an unbreakable block with its first item.
    headings = re.findall(r"<h2>(Warm-up|Main exercises|Cool-down)</h2>", page)
    kept = re.findall(r'<div class="keep"><h2>(Warm-up|Main exercises|Cool-down)</h2><div', page)
    assert headings and kept == headings


def test_the_function_and_the_method_give_the_same_page(programme):
    arguments = {"patient_name": "Ann", "weeks": 3, "start": WEDNESDAY, "catalog": CATALOG}
    assert programme.to_html(**arguments) == programme_sheet_html(programme, **arguments)


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PDFTOTEXT = shutil.which("pdftotext")
HEADINGS = {
    *PHASE_TITLES.values(),
    "Tick off each session",
    "About your back",
    "If you have a flare-up",
    "Getting through a flare-up",
}
LAST_LINE = DISCLAIMER.split()[-1]


@pytest.mark.skipif(not (CHROMIUM and PDFTOTEXT), reason="needs chromium and pdftotext")
@pytest.mark.parametrize("minutes", [20, 45])
def test_printed_pages_never_end_with_a_heading(tmp_path, minutes):
    routine = plan_routine(["lower_back", "glutes", "hips"], minutes, pain=2)
    programme = Programme.from_routine(routine, weekdays=["mon", "wed", "fri"])
    html_file, pdf = tmp_path / "sheet.html", tmp_path / "sheet.pdf"
    html_file.write_text(programme.to_html(patient_name="Ann"), encoding="utf-8")
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--user-data-dir={tmp_path / 'profile'}",
            f"--print-to-pdf={pdf}",
            html_file.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    text = subprocess.run(
        [PDFTOTEXT, "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    pages = [[line.strip() for line in p.splitlines() if line.strip()] for p in text.split("\f")]
    pages = [lines for lines in pages if lines]
    assert len(pages) > 1, "the check means something only across a page break"
    for number, lines in enumerate(pages, start=1):
        assert lines[-1] not in HEADINGS, f"page {number} ends with the heading {lines[-1]!r}"
    # The disclaimer closes the last page together with the flare-up plan, never alone.
    assert pages[-1][-1].endswith(LAST_LINE) and "Getting through a flare-up" in pages[-1]


@pytest.mark.parametrize("condition", ["pregnancy", "osteoporosis", "spinal_stenosis"])
def test_the_sheet_and_every_session_carry_what_a_condition_asks(condition):
    from backlib.labels import CONDITION_ADVICE

    routine = plan_routine(
        ["lower_back"], 20, pain=2, conditions=(condition,), catalog=resolve_catalog(None)
    )
    programme = Programme.from_routine(routine)
    advice = CONDITION_ADVICE[condition]
    assert advice in programme.routine(pain=2).notes
    assert advice in programme.gentle_routine().notes
    assert escape(advice) in programme.to_html(patient_name="Ann")
