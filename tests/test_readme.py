"""The README's Python example runs as written, from the repository's root, and prints what
its comments say it prints."""

from __future__ import annotations

import ast
import contextlib
import io
import re

import pytest
from conftest import ROOT

from acvnum.analysis.levers import catalogue
from acvnum.api import DEFAULT_LEVERS


def python_example() -> str:
    """The one ```python block of the README's 'From Python' section."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## From Python\n", 1)[1].split("\n## ", 1)[0]
    (code,) = re.findall(r"^```python\n(.*?)^```$", section, re.DOTALL | re.MULTILINE)
    return code


def test_the_section_has_one_python_example_that_estimates_a_file():
    code = python_example()
    assert "acvnum.estimate(" in code
    ast.parse(code)  # valid Python as shown


def test_the_python_example_runs_and_prints_what_it_says(monkeypatch):
    monkeypatch.chdir(ROOT)  # its path, examples/ecommerce.yaml, is from the root
    namespace: dict = {"__name__": "readme"}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(python_example(), "README.md", "exec"), namespace)
    first, second = printed.getvalue().splitlines()
    # 'kg CO2 eq per visit': a positive number, and a small one (grams, not kilograms, a visit)
    per_visit = float(first)
    assert 0 < per_visit < 1
    # 'the five best levers': a list of five ids of the lever catalogue
    levers = ast.literal_eval(second)
    assert DEFAULT_LEVERS == 5
    assert len(levers) == 5
    assert set(levers) <= {lever.id for lever in catalogue()}
    # 'the result JSON, as data': its one service, whose figure is the one printed
    document = namespace["document"]
    (service,) = document["services"]
    assert service["criteria"]["climate_change"]["per_visit"] == pytest.approx(per_visit)
