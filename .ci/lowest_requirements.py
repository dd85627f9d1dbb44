"""Print every dependency of pyproject.toml (runtime and test) pinned to its lower bound.

CI installs these in a second environment and runs the suite there too, so a lower bound
that no longer works (an API we use that an old release lacks) fails CI, not a user's
install. A dependency without a `>=` lower bound is an error: every one must state it.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

_LOWER = re.compile(
    r"^\s*(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*>=\s*(?P<low>[^,;\s]+)"
)


def pins(pyproject: Path, extras: list[str]) -> list[str]:
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    wanted = list(project["dependencies"])
    for extra in extras:
        wanted += project["optional-dependencies"][extra]
    lines = []
    for requirement in wanted:
        match = _LOWER.match(requirement)
        if match is None:
            sys.exit(f"{pyproject}: '{requirement}' has no '>=' lower bound to pin")
        lines.append(f"{match['name']}=={match['low']}")
    return lines


if __name__ == "__main__":
    root = Path(__file__).resolve().parent.parent
    print("\n".join(pins(root / "pyproject.toml", sys.argv[1:] or ["test"])))
