"""Whole pages (the programme sheet, a routine's handout) set into a report's own flow, their
styles scoped to them.

A page in an ``iframe`` is one box to the printer: Chromium cuts it at the page edge, through an
exercise's steps, and cannot break it where the page's own print rules say. Set into the report
as a block instead, the page flows across the report's pages and its rules (no item, box or table
split; headings kept with what follows) apply. Its styles are rewritten to reach only inside that
block, and made specific enough that the report's styles (JupyterLab's, for headings and tables)
do not restyle it.
"""

from __future__ import annotations

import html
import re

_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_STYLE = re.compile(r"<style\b[^>]*>(.*?)</style>", re.IGNORECASE | re.DOTALL)
_BODY = re.compile(r"<body\b[^>]*>(.*)</body>", re.IGNORECASE | re.DOTALL)
_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
# Selectors that meant the page itself: inside the report they mean the block.
_PAGE_SELECTOR = re.compile(r"^(?:html\s+)?(?:html|body|:root)\b")
# Two classes on the block: a scoped rule (0,2,1 for `h2`) outweighs JupyterLab's
# `.jp-RenderedHTMLCommon h2` (0,1,1) wherever it sits in the page.
INLINED_CLASS = "bl-inlined"


def scoped_css(css: str, scope: str) -> str:
    """Rewrite a style sheet so each rule reaches only inside the element `scope` selects.

    ``body``/``html`` rules apply to the block itself; ``@media`` blocks are scoped inside;
    ``@page`` and other at-rules are dropped (the report's page box is the report's own).

    Parameters
    ----------
    css
        A plain style sheet (rules, ``@media`` and ``@page`` blocks), as the sheet modules write.
    scope
        A selector for the block, e.g. ``.bl-inlined.bl-sheet``.
    """
    css = _COMMENT.sub("", css)
    out: list[str] = []
    position = 0
    while True:
        opening = css.find("{", position)
        if opening < 0:
            break
        prelude = css[position:opening].strip()
        closing = _matching_brace(css, opening)
        block = css[opening + 1 : closing]
        position = closing + 1
        if prelude.startswith("@media"):
            out.append(f"{prelude} {{ {scoped_css(block, scope)} }}")
        elif prelude.startswith("@"):
            continue  # @page, @font-face, @import: not the block's to set
        else:
            selectors = ", ".join(_scoped_selector(s.strip(), scope) for s in prelude.split(","))
            out.append(f"{selectors} {{{block}}}")
    return "\n".join(out)


def _matching_brace(css: str, opening: int) -> int:
    depth = 0
    for index in range(opening, len(css)):
        if css[index] == "{":
            depth += 1
        elif css[index] == "}":
            depth -= 1
            if depth == 0:
                return index
    raise ValueError("the style sheet has an unclosed '{'")


def _scoped_selector(selector: str, scope: str) -> str:
    if _PAGE_SELECTOR.match(selector):
        return _PAGE_SELECTOR.sub(scope, selector, count=1)
    return f"{scope} {selector}"


def inline_page(page: str, css_class: str) -> str:
    """A whole HTML page (its styles and body) as one block of the report's flow.

    Parameters
    ----------
    page
        A complete document with its styles inline, as ``Programme.to_html`` and
        ``Routine.to_html`` write; scripts are not expected and are not kept apart.
    css_class
        The block's own class (``bl-sheet``, ``bl-handout``), which its styles are scoped to.

    Returns
    -------
    str
        ``<section class="bl-inlined {css_class}">`` holding the scoped styles and the body,
        labelled with the page's title.

    Raises
    ------
    ValueError
        When the page has no ``<body>``.
    """
    body = _BODY.search(page)
    if body is None:
        raise ValueError("the page to inline has no <body>")
    scope = f".{INLINED_CLASS}.{css_class}"
    styles = "".join(scoped_css(sheet, scope) for sheet in _STYLE.findall(page))
    title = _TITLE.search(page)
    # The title is already escaped text in the page: unescaped, then escaped once for the
    # attribute, it reads the same.
    label = html.escape(html.unescape(title.group(1).strip()), quote=True) if title else ""
    return (
        f'<section class="{INLINED_CLASS} {css_class}" aria-label="{label}">'
        f"<style>{styles}</style>{body.group(1)}</section>"
    )
