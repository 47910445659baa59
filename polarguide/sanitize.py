"""Untrusted portal HTML → safe HTML (nh3) and plain text that keeps the section structure.

Portal descriptions are HTML written by many hands: ``<span class="topicdescriptionkind">``
section labels, ``<ul level="0">`` lists, ``&nbsp;``, and broken attributes such as
``class="eui-u-mt-l>"``. Everything goes through nh3 (the Rust ``ammonia`` sanitiser)
first, so later steps only ever see well-formed, harmless markup.

>>> clean_html('<p onclick="x()">Hi <script>alert(1)</script><b>there</b></p>')
'<p>Hi <b>there</b></p>'
>>> print(html_to_text('<span class="topicdescriptionkind">Scope:</span><ul><li>A</li></ul>'))
Scope:
<BLANKLINE>
- A
"""

from __future__ import annotations

import html as _html
import re

import nh3

#: Tags kept by :func:`clean_html`; everything else is unwrapped (text kept).
SAFE_TAGS = frozenset(
    {"p", "div", "span", "br", "ul", "ol", "li", "b", "strong", "em", "i", "u", "a", "blockquote"}
    | {"h1", "h2", "h3", "h4", "h5", "h6"}
    | {"table", "thead", "tbody", "tr", "th", "td", "caption"}
)
#: Tags removed together with their content.
DROP_WITH_CONTENT = frozenset(
    {"script", "style", "iframe", "object", "embed", "noscript", "template", "svg", "math"}
)
_SAFE_ATTRIBUTES = {
    "a": {"href", "title"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
_URL_SCHEMES = {"http", "https", "mailto"}

_BLOCK_TAGS = frozenset(
    {"p", "div", "ul", "ol", "table", "tr", "blockquote", "section", "article", "caption"}
    | {"h1", "h2", "h3", "h4", "h5", "h6", "dl", "dt", "dd", "thead", "tbody"}
)
_TEXT_TAGS = _BLOCK_TAGS | {"li", "br", "span", "td", "th"}
_TOKEN = re.compile(r'<(/?)([a-zA-Z0-9]+)((?:[^>"]|"[^"]*")*)>|([^<]+)')
_HEADING_CLASS = "topicdescriptionkind"
#: Section labels that always start their own paragraph, even without markup.
SECTION_LABELS = ("Expected Outcome:", "Expected Outcomes:", "Scope:", "Expected Impact:")
_BREAK = "\x00P\x00"  # paragraph break marker inside the text builder


def clean_html(html: str | None) -> str:
    """Return ``html`` sanitised for display: only :data:`SAFE_TAGS`, safe links.

    Scripts, styles, iframes and objects are dropped with their content; event
    handlers and other attributes go (only the portal's section-label class
    ``topicdescriptionkind`` stays on ``span`` and ``p``); only ``http``, ``https``
    and ``mailto`` links stay, each with ``rel="noopener noreferrer"``.

    >>> clean_html('<a href="javascript:alert(1)">x</a>')
    '<a rel="noopener noreferrer">x</a>'
    >>> clean_html('<a href="https://ec.europa.eu" onclick="f()">EU</a>')
    '<a href="https://ec.europa.eu" rel="noopener noreferrer">EU</a>'
    >>> clean_html('<div class="eui-u-mt-l>"><iframe src="x"></iframe>ok</div>')
    '<div>ok</div>'
    >>> clean_html(None)
    ''
    """
    if not html:
        return ""
    cleaned = nh3.clean(
        str(html),
        tags=set(SAFE_TAGS),
        clean_content_tags=set(DROP_WITH_CONTENT),
        attributes={k: set(v) for k, v in _SAFE_ATTRIBUTES.items()},
        allowed_classes={"span": {_HEADING_CLASS}, "p": {_HEADING_CLASS}},
        url_schemes=set(_URL_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return cleaned.replace(' class=""', "").strip()


def html_to_text(html: str | None) -> str:
    """Return readable plain text from portal HTML, keeping its structure.

    Paragraphs and headings are separated by a blank line, list items start with
    ``"- "``, section labels ("Expected Outcome:", "Scope:", "Expected Impact:")
    start their own paragraph, entities are decoded and runs of spaces (also
    ``&nbsp;``) collapse to one.

    >>> print(html_to_text('<p>Fish&nbsp;&amp;  chips</p><p>Expected Impact: more<br>jobs</p>'))
    Fish & chips
    <BLANKLINE>
    Expected Impact: more
    jobs
    >>> html_to_text('plain  text') == 'plain text'
    True
    """
    if not html:
        return ""
    text = str(html)
    if "<" not in text and "&" not in text:
        return _tidy(_split_labels(text))
    safe = nh3.clean(
        text,
        tags=set(_TEXT_TAGS),
        clean_content_tags=set(DROP_WITH_CONTENT),
        attributes={"span": {"class"}, "p": {"class"}},
        link_rel=None,
        strip_comments=True,
    )
    return text_from_clean_html(safe)


def text_from_clean_html(safe: str) -> str:
    """Plain text (as :func:`html_to_text`) from HTML that is already sanitised by nh3.

    Use it on the output of :func:`clean_html` to sanitise a description only once.
    Never pass raw portal HTML here: this only tokenises well-formed markup.

    >>> print(text_from_clean_html(clean_html("<p>Scope:</p><ul><li>a&amp;b</li></ul>")))
    Scope:
    <BLANKLINE>
    - a&b
    """
    parts: list[str] = []
    heading_depth = 0  # inside a <span class="topicdescriptionkind">
    list_depth = 0  # inside an <li>
    for match in _TOKEN.finditer(safe):
        closing, tag, attrs, chunk = match.groups()
        if chunk is not None:
            parts.append(_html.unescape(chunk) if "&" in chunk else chunk)
            continue
        tag = tag.lower()
        if tag in ("p", "div") and list_depth:
            parts.append(" ")  # a paragraph inside a list item stays on its line
        elif tag in _BLOCK_TAGS:
            parts.append(_BREAK)
        elif tag == "li":
            list_depth = max(0, list_depth + (-1 if closing else 1))
            parts.append("\n- " if not closing else "\n")
        elif tag == "br":
            parts.append("\n")
        elif tag in ("td", "th") and not closing:
            parts.append(" ")
        elif tag == "span":
            if not closing and _HEADING_CLASS in attrs:
                heading_depth += 1
                parts.append(_BREAK)
            elif closing and heading_depth:
                heading_depth -= 1
                parts.append(_BREAK)
    return _tidy(_split_labels("".join(parts)))


def _split_labels(text: str) -> str:
    """Put a paragraph break before every section label (empty paragraphs vanish later)."""
    for label in SECTION_LABELS:
        if label in text:
            text = text.replace(label, _BREAK + label)
    return text


def _tidy(text: str) -> str:
    """Collapse spaces, keep paragraph breaks as one blank line and list lines as lines."""
    paragraphs = []
    for block in text.split(_BREAK):
        lines = [" ".join(line.split()) for line in block.split("\n")]
        lines = [line for line in lines if line and line != "-"]
        if lines:
            paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)
