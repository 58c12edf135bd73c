"""What the spans found so far cover, merged: to ask whether a piece of text is hidden already."""

from __future__ import annotations

from bisect import bisect_right

Span = tuple[int, int, str]


class Covered:
    def __init__(self, spans: list[Span]) -> None:
        starts: list[int] = []
        ends: list[int] = []
        for start, end, _ in sorted(spans):
            if ends and start <= ends[-1]:
                ends[-1] = max(ends[-1], end)
            else:
                starts.append(start)
                ends.append(end)
        self.starts, self.ends = starts, ends

    def has(self, start: int, end: int) -> bool:
        """Whether one span found covers all of `start:end`."""
        index = bisect_right(self.starts, start) - 1
        return index >= 0 and end <= self.ends[index]

    def touches(self, start: int, end: int) -> bool:
        """Whether a span found reaches into `start:end`."""
        # The merged spans are disjoint and sorted: the last one that starts before `end` is the
        # only one that can reach into it.
        index = bisect_right(self.starts, end - 1) - 1
        return index >= 0 and self.ends[index] > start
