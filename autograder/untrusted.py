"""Text a student controls, made safe for each place the course writes it (see SECURITY.md).

Exception types and messages, warnings, descriptions of returned values, answer-cell notes:
anything that came out of the student's kernel or notebook is plain text that may hold
HTML, Markdown, terminal escape sequences or rich markup. The grader keeps it as plain
text (the JSON report included); each sink escapes it where it is written:

- ``terminal``: for printed lines and notebook stream outputs (control characters shown as
  ``\\x1b``-style escapes), ``rich_text`` for rich tables (no markup);
- ``markdown``: a fenced code block that the text cannot close (gradebook comments, the
  graded notebook's summary), so it renders as literal text and MathJax leaves it alone;
- ``html``: escaped text; ``clean_html``: an allowlist sanitizer for whole page bodies;
- ``csv_cell``: no spreadsheet formulas.

The text sinks (all but the last two) shorten long text to ``LIMIT`` characters, with a note.
"""
from __future__ import annotations

import html as _html
import re
import unicodedata

LIMIT = 5000

# Bidirectional overrides and isolates reorder what is displayed ("Trojan Source").
_BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _shown(ch: str) -> str:
    code = ord(ch)
    if ch in "\n\t":
        return ch
    if code < 0x20 or 0x7F <= code < 0xA0 or ch in _BIDI or ch in "\u2028\u2029" \
            or unicodedata.category(ch) == "Cs":
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    return ch


def plain(text, limit: int = LIMIT) -> str:
    """The text, at most ``limit`` characters of it, with every control character visible."""
    text = str(text).replace("\r\n", "\n")
    if len(text) > limit:
        text = text[:limit] + f" ... [{len(text) - limit} more characters not shown]"
    if text.isprintable():
        return text
    return "".join(map(_shown, text))


def terminal(text, limit: int = LIMIT) -> str:
    """For a terminal (or a notebook's stream output): no escape sequence reaches it."""
    return plain(text, limit)


def rich_text(text, limit: int = LIMIT):
    """A rich ``Text``: shown as it is, square brackets included (no markup)."""
    from rich.text import Text
    return Text(plain(text, limit))


def html(text, limit: int = LIMIT) -> str:
    """Escaped for HTML text and attribute values."""
    return _html.escape(plain(text, limit), quote=True)


def markdown(text, limit: int = LIMIT) -> str:
    """A fenced code block holding the text literally.

    The fence is longer than any run of backticks in the text, so no line of it can close the
    block; inside it, Markdown, HTML and entities are not interpreted.
    """
    body = plain(text, limit).rstrip("\n")
    fence = "`" * max(3, 1 + max(map(len, re.findall("`+", body)), default=0))
    return f"{fence}\n{body}\n{fence}"


def csv_cell(value):
    """A CSV value that a spreadsheet shows as text, not as a formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


# What nbconvert's classic template and Markdown produce; everything else is escaped.
PAGE_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del",
    "details", "div", "dl", "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
    "kbd", "li", "main", "ol", "p", "pre", "s", "samp", "small", "span", "strong", "sub",
    "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul", "var",
})
_PAGE_ATTRIBUTES = {"*": ["class", "id", "tabindex", "title", "style"], "a": ["href", "name"],
                    "img": ["src", "alt", "width", "height"], "td": ["colspan", "rowspan"],
                    "th": ["colspan", "rowspan"], "ol": ["start"]}


def _allowed_attribute(tag: str, name: str, value: str) -> bool:
    if name not in _PAGE_ATTRIBUTES["*"] and name not in _PAGE_ATTRIBUTES.get(tag, ()):
        return False
    # data: URLs only as embedded images (nbconvert's attachments), never as links.
    is_data = re.sub(r"[\x00-\x20]+", "", value).lower().startswith("data:")
    return not is_data or (tag, name) == ("img", "src") and value.lower().startswith("data:image/")


def clean_html(fragment: str) -> str:
    """An HTML fragment with only the tags and attributes of a notebook page left.

    No script, style, frame, form, SVG or MathML element, no event handler, no link other
    than http(s), mailto and in-page anchors; disallowed markup is escaped (so it shows as
    text). Used on whole page bodies, after the text in them was escaped already.
    """
    import bleach
    from bleach.css_sanitizer import CSSSanitizer

    return bleach.clean(fragment, tags=PAGE_TAGS, attributes=_allowed_attribute,
                        protocols={"http", "https", "mailto", "data"},
                        css_sanitizer=CSSSanitizer(allowed_css_properties={"text-align", "width"}),
                        strip_comments=True)
