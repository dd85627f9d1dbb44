"""JUnit XML for CI dashboards: one test suite per service, one test case per budget and
per baseline criterion.

A test case's name is how a CI server tells a test from run to run (its history, its
flakiness, a failure that is new): it must not change with who runs the check. Names are
therefore machine-readable and the same under every --lang, written as English writes them:
criterion ids, English units and numbers with a decimal point ('budget climate_change per
visit <= 0.500 g CO2e'), never 'per visit <= 0,500 g CO2e'. What a person reads (failure
messages, the percentile's description, a renamed baseline) is in the chosen language.

Every user-written text (a service's name, a file, a baseline's name) shows its control
characters and bidirectional overrides as escapes ('\\x1b', '\\u202e') and a newline as
'\\x0a', as a terminal and every other report do (README): XML 1.0 cannot hold control
characters, and one in a service name would make the whole file "not well-formed" for the
CI server. The few other characters XML 1.0 cannot hold (U+FFFE, U+FFFF) are removed.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from acvnum.analysis.budgets import BaselineOutcome, BudgetOutcome
from acvnum.analysis.checks import CheckRun, ServiceCheck
from acvnum.escaping import terminal_line, xml_text
from acvnum.i18n import Translator
from acvnum.report import check_common as cc

#: How test case names are written, whatever the report's language (see above).
_NAMES = Translator("en")


def _budget_case(suite: ET.Element, outcome: BudgetOutcome, t: Translator) -> None:
    limit = cc.quantity(outcome.limit, outcome.criterion, outcome.unit, _NAMES)
    name = f"budget {outcome.criterion} per {outcome.per} <= {limit}"
    if outcome.statistic != "central":
        name += f" at {outcome.statistic}"
    case = ET.SubElement(suite, "testcase", classname=suite.get("name", ""), name=name)
    if not outcome.passed:
        message = cc.budget_failure(outcome, t)
        ET.SubElement(case, "failure", message=message, type="BudgetExceeded").text = message


def _baseline_case(
    suite: ET.Element, outcome: BaselineOutcome, run: CheckRun, t: Translator
) -> None:
    tolerance = cc.percent(run.tolerance, _NAMES, signed=False)
    name = f"baseline {outcome.change.criterion} per visit within {tolerance}"
    case = ET.SubElement(suite, "testcase", classname=suite.get("name", ""), name=name)
    if not outcome.passed:
        message = cc.baseline_failure(outcome, t)
        ET.SubElement(case, "failure", message=message, type="BaselineExceeded").text = message


def _properties(suite: ET.Element, check: ServiceCheck, run: CheckRun, t: Translator) -> None:
    """What the figures mean, for whoever reads the suite: the percentile judged, and the
    baseline service when it is named otherwise."""
    notes = {"statistic": run.statistic}
    if run.statistic != "central":
        notes["statistic_description"] = cc.statistic_note(run, t) or ""
    renamed = cc.renamed_note(check, run, t, terminal_line)
    if renamed is not None:
        notes["baseline_service"] = renamed
    properties = ET.SubElement(suite, "properties")
    for name, value in notes.items():
        ET.SubElement(properties, "property", name=name, value=value)


def _suite(root: ET.Element, check: ServiceCheck, run: CheckRun, t: Translator) -> None:
    failures = sum(not o.passed for o in check.outcomes)
    suite = ET.SubElement(
        root,
        "testsuite",
        name=cc.service_name(check, terminal_line),
        file=terminal_line(check.result.source_file),
        tests=str(len(check.outcomes)),
        failures=str(failures),
        errors="0",
    )
    _properties(suite, check, run, t)
    for outcome in check.budgets:
        _budget_case(suite, outcome, t)
    for outcome in check.baseline or []:
        _baseline_case(suite, outcome, run, t)


def render(run: CheckRun, lang: str = "en") -> str:
    t = Translator(lang)
    root = ET.Element(
        "testsuites", name="acvnum check", tests=str(run.count), failures=str(run.failures)
    )
    for check in run.services:
        _suite(root, check, run, t)
    ET.indent(root)
    body = xml_text(ET.tostring(root, encoding="unicode"))  # no character XML 1.0 refuses
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
