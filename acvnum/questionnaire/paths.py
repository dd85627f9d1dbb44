"""Dotted paths into a questionnaire ('hosting.servers[0].count'): the one place that spells,
parses, reads and writes them, in the validated models and in a file's raw data, and walks
the models' types along them.

Error messages, ranges, levers and `--what-if` all name a value this way.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from acvnum.errors import PathError, did_you_mean
from acvnum.questionnaire import records

Path = tuple[str | int, ...]

if TYPE_CHECKING:
    from pydantic import BaseModel
    from pydantic.fields import FieldInfo

_PART = re.compile(r"(?P<key>[A-Za-z_][A-Za-z0-9_]*)(?P<indexes>(?:\[\d+\])*)")


def dotted(path: tuple[Any, ...]) -> str:
    """('hosting', 'servers', 0, 'vcpu') -> 'hosting.servers[0].vcpu'."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def pattern(path: Path) -> tuple[str, ...]:
    """The path with every list index as '*': ('hosting', 'servers', '*', 'power')."""
    return tuple("*" if isinstance(part, int) else str(part) for part in path)


def with_index(path: tuple[str, ...], index: int) -> Path:
    """A pattern's '*' replaced by a list index: the inverse of `pattern` for one list."""
    return tuple(index if part == "*" else part for part in path)


def parse(text: str) -> Path:
    """'hosting.servers[0].count' -> ('hosting', 'servers', 0, 'count')."""
    parts: list[str | int] = []
    for chunk in text.strip().split("."):
        match = _PART.fullmatch(chunk)
        if not match:
            raise PathError("path.unreadable", text=repr(text))
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
    if not isinstance(model, records.Record):
        raise TypeError(f"cannot set {head!r} on {type(model).__name__}")
    return records.replace(model, **{head: replace(getattr(model, head), rest, value)})


# --- a file's raw data (dictionaries and lists, before validation) ------------------------


def get_in(data: Any, path: Path) -> Any:
    """The value at `path` in raw data; None where the data leaves it out, or holds no
    section or list where the path goes through one (the file's own mistake, said elsewhere)."""
    node = data
    for part in path:
        if isinstance(part, int):
            if not isinstance(node, list) or not 0 <= part < len(node):
                return None
        elif not isinstance(node, dict) or node.get(part) is None:
            return None
        node = node[part]
    return node


def set_in(data: Any, path: Path, value: Any) -> None:
    """Set the value at `path` in raw data whose sections all exist."""
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


def set_creating(data: dict[str, Any], path: Path, value: Any) -> None:
    """Set the value at `path` in raw data, creating the sections (not the list items) the
    data leaves out; PathError names the first missing item, or the absent list."""
    node: Any = data
    created: str | None = None  # the first section the data left out, if any
    for depth, part in enumerate(path[:-1]):
        if isinstance(part, int):
            if part >= len(node):
                raise PathError(
                    "path.no_item", path=dotted(path[:depth]), count=len(node), index=part
                )
        elif node.get(part) is None:
            if isinstance(path[depth + 1], int):
                absent = created or dotted(path[: depth + 1])
                raise PathError("path.absent", path=absent, index=path[depth + 1])
            created = created or dotted(path[: depth + 1])
            node[part] = {}
        node = node[part]
    node[path[-1]] = value


# --- the models' types ------------------------------------------------------------------


def field_model(annotation: Any) -> tuple[type[BaseModel] | None, bool]:
    """The model a field holds (None for a plain value), and whether it is a list of them:
    `Model`, `Model | None` and `list[Model]` all hold a Model."""
    # pydantic's model machinery only where the models' types are walked (what-if, ranges).
    from pydantic import BaseModel

    if typing.get_origin(annotation) is list:
        return field_model(typing.get_args(annotation)[0])[0], True
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(annotation) if a is not type(None)]
        return field_model(inner[0])
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, False
    return None, False


@dataclass(frozen=True)
class Place:
    """Where a path leads in the models: a section (its model), a list of sections waiting
    for an index, or a plain value (model None)."""

    model: type[BaseModel] | None
    in_list: bool
    #: The model each key of the path was looked up in, from the questionnaire down.
    holders: tuple[type[BaseModel], ...]
    #: The field the path's last key names; None for the empty path.
    field: FieldInfo | None


def _is_index(part: str | int) -> bool:
    """A list index, or a pattern's '*' (any index)."""
    return isinstance(part, int) or part == "*"


def _where(path: tuple[str | int, ...]) -> str:
    return dotted(path) or "the questionnaire"


def _unknown_key(key: str, model: type[BaseModel], where: str) -> PathError:
    keys = list(model.model_fields)
    hint = did_you_mean(key, keys)
    return PathError(
        "path.unknown_key", key=key, where=where, suggestion=hint, known=", ".join(keys)
    )


def place(root: type[BaseModel], path: Path) -> Place:
    """Where a path (or a pattern, '*' for an index) leads in the models from `root`, the
    questionnaire's model (its own keys are said to be in 'the questionnaire'); PathError
    says where it leaves them: an index on no list, a key on a list or a plain value, a key
    no model has (with the keys it has)."""
    model: type[BaseModel] | None = root
    in_list, field = False, None
    holders: list[type[BaseModel]] = []
    for depth, part in enumerate(path):
        if _is_index(part):
            if not in_list:
                raise PathError("path.not_a_list", where=_where(path[:depth]), part=part)
            in_list = False
        elif in_list:
            raise PathError("path.a_list", where=_where(path[:depth]), part=part)
        elif model is None:
            raise PathError("path.a_value", where=_where(path[:depth]), part=part)
        elif part not in model.model_fields:
            raise _unknown_key(str(part), model, _where(path[:depth]))
        else:
            holders.append(model)
            field = model.model_fields[str(part)]
            model, in_list = field_model(field.annotation)
    return Place(model, in_list, tuple(holders), field)


def fields_below(
    model: type[BaseModel], prefix: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], FieldInfo]]:
    """Every field of `model` and of the models below it, with its path pattern ('*' for
    a list's items), a section before its own fields."""
    for name, info in model.model_fields.items():
        path = (*prefix, name)
        yield path, info
        sub, is_list = field_model(info.annotation)
        if sub is not None:
            yield from fields_below(sub, (*path, "*") if is_list else path)
