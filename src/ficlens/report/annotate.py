"""Turn offset spans over a text into correctly nested, escaped HTML.

Analysis layers overlap freely (a quote can run across a paragraph break, a feedback item
can start inside one quote and end in the next), but HTML elements must nest. One sweep
over the span boundaries keeps a stack of open elements ordered by ``rank`` (block
elements low, inline ones high) and splits an element wherever another one's boundary
crosses it: close it, do the other thing, open it again with ``reopen``. Every piece of
text goes through ``markupsafe.escape``; only the caller's own tags are emitted as markup.
Cost is O(n log n) in the number of spans plus O(len(text)) for the text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from markupsafe import Markup, escape


@dataclass(frozen=True, slots=True)
class HtmlSpan:
    """One element to wrap around ``text[start:end]``.

    ``open_tag`` and ``close_tag`` must be markup built by our own code (never input).
    ``rank`` orders elements that must nest: a lower rank is always outside a higher one
    (sections < blocks < paragraphs < inline). ``reopen`` is the tag used for the pieces
    after a split (default ``open_tag``); give it when ``open_tag`` carries an ``id`` or a
    badge that must appear once.
    """

    start: int
    end: int
    open_tag: str
    close_tag: str
    rank: int = 0
    reopen: str | None = None


@dataclass(slots=True)
class _Open:
    span: HtmlSpan
    order: int
    out_index: int  # where its opening tag sits in the output list
    reopened: bool


def nest_spans(
    text: str,
    spans: Iterable[HtmlSpan],
    escape_text: Callable[[str], str] = escape,
) -> Markup:
    """Return ``text`` escaped, with every span wrapped in its tags, properly nested.

    Spans are clamped to the text; empty spans produce an empty element. Spans that start
    at the same offset open outer-first: lower rank, then longer, then input order.
    """
    size = len(text)
    items: list[tuple[int, int, int, int, HtmlSpan]] = []
    for order, span in enumerate(spans):
        start = min(max(span.start, 0), size)
        end = min(max(span.end, start), size)
        if (start, end) != (span.start, span.end):
            span = HtmlSpan(start, end, span.open_tag, span.close_tag, span.rank, span.reopen)
        items.append((start, span.rank, -end, order, span))
    items.sort(key=lambda item: item[:4])

    ends: dict[int, int] = {}  # offset -> number of spans ending there
    for _start, _rank, neg_end, _order, _span in items:
        ends[-neg_end] = ends.get(-neg_end, 0) + 1
    boundaries = sorted({item[0] for item in items} | set(ends) | {0, size})

    out: list[str] = []
    stack: list[_Open] = []

    def push(span: HtmlSpan, order: int, reopened: bool) -> None:
        tag = span.reopen if reopened and span.reopen is not None else span.open_tag
        stack.append(_Open(span, order, len(out), reopened))
        out.append(tag)

    def pop() -> _Open:
        entry = stack.pop()
        if entry.reopened and entry.out_index == len(out) - 1:
            out.pop()  # a continuation that received no text: drop it instead of closing
        else:
            out.append(entry.span.close_tag)
        return entry

    def close_ending_at(pos: int) -> None:
        lowest = next((i for i, e in enumerate(stack) if e.span.end <= pos), None)
        if lowest is None:
            return
        keep: list[_Open] = []
        while len(stack) > lowest:
            entry = pop()
            if entry.span.end > pos:
                keep.append(entry)
        for entry in reversed(keep):
            push(entry.span, entry.order, reopened=True)

    def open_span(span: HtmlSpan, order: int) -> None:
        lifted: list[_Open] = []
        while stack and stack[-1].span.rank > span.rank:
            lifted.append(pop())
        push(span, order, reopened=False)
        for entry in reversed(lifted):
            push(entry.span, entry.order, reopened=True)

    index = 0
    previous = 0
    for pos in boundaries:
        if pos > previous:
            out.append(escape_text(text[previous:pos]))
            previous = pos
        close_ending_at(pos)
        while index < len(items) and items[index][0] == pos:
            _start, _rank, _neg_end, order, span = items[index]
            open_span(span, order)
            if span.end == pos:
                close_ending_at(pos)
            index += 1
    while stack:
        pop()
    return Markup("".join(out))
