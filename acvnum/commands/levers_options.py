"""The levers options of `acvnum estimate`: --levers N and --what-if PATH=VALUE."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer

from acvnum.commands.common import fail
from acvnum.errors import WhatIfError

DEFAULT_LEVERS = 5

LeversOption = Annotated[
    int,
    typer.Option(
        "--levers",
        min=0,
        help="How many levers (recommendations ranked by what they save) to show; 0 hides them.",
    ),
]
WhatIfOption = Annotated[
    list[str] | None,
    typer.Option(
        "--what-if",
        metavar="PATH=VALUE",
        help="Evaluate your own change, e.g. usage.data_per_visit=1MB or hosting.location=SWE "
        "(repeatable: all apply together). Shows before, after and the saving per criterion.",
    ),
]


@contextmanager
def what_if_errors() -> Iterator[None]:
    """A --what-if that cannot be applied: its message on stderr (one line for each service
    that refuses it), exit 2."""
    try:
        yield
    except WhatIfError as error:
        *first, last = error.messages
        for refusal in first:
            fail(refusal)  # written now; the exit is the last one's
        raise fail(last, code=error.exit_code) from None
