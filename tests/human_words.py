"""What a message meant for people must not hold: a regular expression, a field's path, a
Python name, or the validation library's own words. Strict, not silly: plain English words,
a price ($1,000), a date, an email address or a web address pass; a sent value echoed back
(quoted: "no hire 'x_y'") is the person's own text and is taken out before checking."""

from __future__ import annotations

import re
from collections.abc import Iterable
from html.parser import HTMLParser

CHECKS = {
    "a regular expression": re.compile(
        r"\^|\\[dDwWsSbB]|\[[^\]\s]+\]|\{\d+(?:,\d*)?\}|\$(?!\d)|\.\*|\.\+|\(\?"
    ),
    "a format placeholder": re.compile(r"\{[A-Za-z_]\w*\}"),
    "a snake_case name": re.compile(r"[A-Za-z0-9]_[A-Za-z0-9]|(?<!\w)_+[A-Za-z]"),
    "a dotted path or name": re.compile(r"\b[A-Za-z_]\w+(?:\.[A-Za-z_]\w+)+\b"),
    "a CamelCase class name": re.compile(r"\b[A-Z][a-z]+[A-Z][a-z]\w*"),
    "the validator's own words": re.compile(
        r"[Ii]nput should|[Ss]tring should|[Ff]ield required|[Vv]alue error|[Ee]xtra inputs|"
        r"should match|[Pp]ydantic|Literal|\bdict\b|NoneType|\bNone\b|<class|Traceback|"
        r"Decimal\("
    ),
}
ADDRESSES = re.compile(r"\S+@\S+|https?://\S+|\b\d+(?:\.\d+)+\b")


def leaks(text: str, sent: Iterable[str] = ()) -> list[str]:
    """What in ``text`` a person should not read (empty if nothing)."""
    for value in sent:  # an echo is quoted: "no hire 'x_y'"
        text = text.replace(repr(value), " ").replace(f"'{value}'", " ")
    text = ADDRESSES.sub(" ", text)
    return [
        f"{what}: {found.group()!r} in {text!r}"
        for what, pattern in CHECKS.items()
        if (found := pattern.search(text))
    ]


def strings_in(value: object) -> list[str]:
    """Every string (and dict key) in a request, to tell an echo from a leak."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, bytes):
        return [value.decode("utf-8", "replace")]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*strings_in(k), *strings_in(v))]
    if isinstance(value, list | tuple):
        return [s for v in value for s in strings_in(v)]
    return [str(value)] if value is not None else []


class _Text(HTMLParser):
    def __init__(self, skip: tuple[str, ...]) -> None:
        super().__init__()
        self.skip, self.depth, self.parts = skip, 0, list[str]()
        self.stack: list[bool] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        skipped = tag in ("script", "style", "head") or any(c in self.skip for c in classes)
        if tag in ("input", "br", "img", "meta", "link", "hr"):
            return
        self.stack.append(skipped)
        self.depth += skipped

    def handle_endtag(self, tag: str) -> None:
        if tag not in ("input", "br", "img", "meta", "link", "hr") and self.stack:
            self.depth -= self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not self.depth:
            self.parts.append(data)


def visible_text(page: str, skip: tuple[str, ...] = ()) -> str:
    """The text a page shows (no tags, attributes or scripts), leaving out elements with any
    of the classes in ``skip``."""
    parser = _Text(skip)
    parser.feed(page)
    return " ".join(" ".join(parser.parts).split())
