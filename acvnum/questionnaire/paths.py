"""Dotted paths into a questionnaire ('hosting.servers[0].count'): parse, read, replace.

Levers and `--what-if` both name the value they change this way, the same spelling the
error messages use (see `questionnaire.dotted`).
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel

Path = tuple[str | int, ...]

_PART = re.compile(r"(?P<key>[A-Za-z_][A-Za-z0-9_]*)(?P<indexes>(?:\[\d+\])*)")


class PathError(ValueError):
    """A path that is not spelled as key.key[index]."""


def parse(text: str) -> Path:
    """'hosting.servers[0].count' -> ('hosting', 'servers', 0, 'count')."""
    parts: list[str | int] = []
    for chunk in text.strip().split("."):
        match = _PART.fullmatch(chunk)
        if not match:
            raise PathError(
                f"cannot read the path {text!r}: write keys joined by dots, with [N] for "
                "a list item, e.g. hosting.servers[0].count"
            )
        parts.append(match["key"])
        parts += [int(i) for i in re.findall(r"\[(\d+)\]", match["indexes"])]
    return tuple(parts)


def get(model: Any, path: Path) -> Any:
    """The value at `path` (attributes for keys, items for indexes)."""
    value = model
    for part in path:
        value = value[part] if isinstance(part, int) else getattr(value, part)
    return value


def replace(model: Any, path: Path, value: Any) -> Any:
    """A copy of `model` with the value at `path` replaced; `model` itself is never changed.

    Values are set as is (already in base units): the caller owns their validity.
    """
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(head, int):
        items = list(model)
        items[head] = replace(items[head], rest, value)
        return items
    if not isinstance(model, BaseModel):
        raise TypeError(f"cannot set {head!r} on {type(model).__name__}")
    return model.model_copy(update={head: replace(getattr(model, head), rest, value)})
