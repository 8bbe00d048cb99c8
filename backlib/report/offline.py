"""Offline by construction: the Content-Security-Policy every report page opens with, and the
check that a page's tags and styles load nothing from beyond it."""

from __future__ import annotations

import re
from html.parser import HTMLParser

# What a report page may load: only what it carries inline. Scripts and styles are inline (plotly.js
# is embedded, charts set styles), images and fonts are data: or blob: URLs (the printed charts
# are data: SVG images); the handout is part of the page itself, so nothing may be framed;
# nothing may connect or be loaded from a network or a file. A page's own scripts can still run:
# the policy stops them sending anything, and stops a <base> or a form pointing elsewhere.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data: blob:; font-src data:; media-src data: blob:; frame-src 'none'; "
    "connect-src 'none'; object-src 'none'; worker-src 'none'; manifest-src 'none'; "
    "base-uri 'none'; form-action 'none'"
)
# Chromium also looks up the host names of links ahead of time; the lookup is not a fetch, so the
# policy above does not stop it.
POLICY_TAGS = (
    f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">'
    '<meta http-equiv="x-dns-prefetch-control" content="off">'
)
_HEAD_TAG = re.compile(r"<head\b[^>]*>", re.IGNORECASE)

# The URL schemes a page may load from: what it carries itself.
_INLINE_SCHEMES = ("data", "blob", "about")
_URL_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):", re.IGNORECASE)
# Attributes whose URL a browser loads when the page opens (a's href waits for a click), by tag
# (None: on any tag).
_LOADING_ATTRIBUTES: dict[str, frozenset[str] | None] = {
    "src": None,
    "srcset": None,
    "poster": None,
    "background": None,
    "data": frozenset({"object"}),
    "href": frozenset({"link", "base", "image", "use", "script", "feimage"}),
    "xlink:href": frozenset({"image", "use", "script", "feimage"}),
}
_CSS_LOAD = re.compile(
    r"""(?:@import\s*(?:url\(\s*)?|url\(\s*)["']?\s*([^"')\s;]*)""", re.IGNORECASE
)
_REFRESH_URL = re.compile(r"url\s*=\s*['\"]?\s*([^'\"\s;]+)", re.IGNORECASE)


def with_content_policy(page: str) -> str:
    """The page with :data:`CONTENT_SECURITY_POLICY` first in its head, before anything it governs.

    Raises
    ------
    ValueError
        When the page has no ``<head>`` to put the policy in.
    """
    head = _HEAD_TAG.search(page)
    if head is None:
        raise ValueError("the page has no <head> for its Content-Security-Policy")
    return page[: head.end()] + POLICY_TAGS + page[head.end() :]


def is_outside(url: str) -> bool:
    """Whether loading `url` would reach beyond the page: a scheme other than data:, blob: or
    about:, or a protocol-relative ``//host`` (relative paths and ``#fragments`` would not)."""
    url = "".join(ch for ch in url if ch > " ")  # browsers ignore spaces and controls in URLs
    if url.startswith(("//", "\\\\", "/\\", "\\/")):
        return True
    scheme = _URL_SCHEME.match(url)
    return scheme is not None and scheme.group(1).lower() not in _INLINE_SCHEMES


class _LoadFinder(HTMLParser):
    """Collects what a page would load: loading attributes of its tags, and CSS ``url()`` and
    ``@import`` in ``<style>`` elements and ``style`` attributes; text (escaped or not) and
    script bodies are never read as loads."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_style = tag == "style"
        values = {name: value or "" for name, value in attrs}
        for name, value in values.items():
            if name in _LOADING_ATTRIBUTES:
                tags = _LOADING_ATTRIBUTES[name]
                if tags is not None and tag not in tags:
                    continue
                urls = [value]
                if name == "srcset":  # "a.png 1x, b.png 2x"
                    urls = [part.split()[0] for part in value.split(",") if part.strip()]
                if any(is_outside(url) for url in urls):
                    self.found.append(f"<{tag} {name}={value[:100]!r}>")
            elif name == "style":
                self._check_css(value, f"<{tag} style>")
        refresh = values.get("http-equiv", "").lower() == "refresh"
        if tag == "meta" and refresh:
            target = _REFRESH_URL.search(values.get("content", ""))
            if target and is_outside(target.group(1)):
                self.found.append(f"<meta refresh {target.group(1)[:100]!r}>")

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self._check_css(data, "<style>")

    def _check_css(self, css: str, where: str) -> None:
        for load in _CSS_LOAD.finditer(css):
            if is_outside(load.group(1)):
                self.found.append(f"{where} {load.group(0)[:100]!r}")


def external_references(page: str) -> list[str]:
    """Every load in an HTML page that would reach beyond it (see :func:`is_outside`), as short
    descriptions; URLs that are only text (a note, a link to click) are not loads."""
    finder = _LoadFinder()
    finder.feed(page)
    finder.close()
    return finder.found
