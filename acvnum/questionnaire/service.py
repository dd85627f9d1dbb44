"""Files -> validated services: read, validate, check the countries against the factor tables.

A `Service` is what every later step starts from: the assessment, `--what-if` (which
validates a changed copy of a file's data the same way) and the commands that only load.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from acvnum.errors import InputError, Problem, in_order, message
from acvnum.files import read_text
from acvnum.questionnaire import fast_path
from acvnum.questionnaire.listing import expand_names
from acvnum.questionnaire.ranges import Bounds, validate_ranges
from acvnum.questionnaire.records import Questionnaire
from acvnum.questionnaire.yaml_reader import Document, parse_yaml, unread
from acvnum.reference.factors import FactorTable


@dataclass(frozen=True)
class Service:
    """A validated questionnaire and the document it came from (for error positions)."""

    questionnaire: Questionnaire
    document: Document
    bounds: Bounds | None = None  # the questionnaire at both ends of its ranges, if any

    @property
    def file(self) -> str:
        return self.document.file


#: Where a questionnaire names a country or region.
PLACES = (
    ("usage", "location"),
    ("hosting", "location"),
    ("terminals", "location"),
    ("ai", "self_hosted", "location"),
)


def _check_regions(service: Service, table: FactorTable) -> list[Problem]:
    q = service.questionnaire
    places = [(("usage", "location"), q.usage.location)]
    if q.hosting is not None:
        places.append((("hosting", "location"), q.hosting.location))
    if q.terminals is not None:
        places.append((("terminals", "location"), q.terminals.location))
    if q.ai is not None and q.ai.self_hosted is not None:
        places.append((("ai", "self_hosted", "location"), q.ai.self_hosted.location))
    return unknown_regions(service.document, places, table)


def unknown_regions(
    document: Document, places: list[tuple[tuple[str, ...], str | None]], table: FactorTable
) -> list[Problem]:
    """The codes of `places` (path, code) the tables do not know, located in `document`."""
    return [
        document.problem(
            path,
            message(
                "load.unknown_region",
                path=".".join(path),
                code=code,
                known=", ".join(table.regions()),
            ),
        )
        for path, code in places
        if code is not None and not table.knows_region(code)
    ]


def _written_regions(document: Document, table: FactorTable) -> list[Problem]:
    """The countries the tables do not know, read from the file's data as written (upper-cased)
    where the models refused the questionnaire: a code does not depend on any other answer,
    so it is said with the other problems rather than once they are fixed. A location that
    is not text is left to the models' own problem. Cloud instances are not looked up here:
    which table names one depends on the server's provider, type and instance, validated
    with the rest of its entry."""
    places: list[tuple[tuple[str, ...], str | None]] = []
    for path in PLACES:
        node: Any = document.data
        for part in path:
            node = node.get(part) if isinstance(node, dict) else None
        if isinstance(node, str):
            places.append((path, node))
    return unknown_regions(document, places, table)


def _check_instances(service: Service, table: FactorTable) -> list[Problem]:
    """Every named cloud instance must be in the tables; an unknown one gets the closest."""
    hosting = service.questionnaire.hosting
    problems = []
    for i, server in enumerate(hosting.servers if hosting else []):
        if server.cloud_prefix is None or f"{server.cloud_prefix}.vcpu" in table:
            continue
        known = [
            fid.split(".", 2)[2].rsplit(".", 1)[0]
            for fid in table.ids
            if fid.startswith(f"cloud.{server.provider}.") and fid.endswith(".vcpu")
        ]
        close = difflib.get_close_matches(server.instance.lower(), known, n=1, cutoff=0.5)
        hint = (
            message("error.did_you_mean", name=close[0])
            if close
            else message("load.known", known=", ".join(known))
        )
        path = ("hosting", "servers", i, "instance")
        refusal = message(
            "load.unknown_instance",
            index=i,
            provider=server.provider,
            instance=server.instance,
            suggestion=hint,
        )
        problems.append(service.document.problem(path, refusal))
    return problems


def _normalise(document: Document) -> None:
    """Country codes are case-insensitive."""
    _normalised(document.data)


def _normalised(data: Any) -> Any:
    """The data with its country codes upper-cased, in place (questionnaire.fast_path reads
    them so too)."""
    ai = data.get("ai") if isinstance(data, dict) else None
    sections = [
        data.get(s) if isinstance(data, dict) else None for s in ("usage", "hosting", "terminals")
    ]
    sections.append(ai.get("self_hosted") if isinstance(ai, dict) else None)
    for part in sections:
        if isinstance(part, dict) and isinstance(part.get("location"), str):
            part["location"] = part["location"].strip().upper()
    return data


def load_service(path: str | Path, table: FactorTable) -> Service:
    """Read, validate and check one questionnaire against the factor tables.

    A file of the common shape is read by the fast path, its data only when asked for;
    any other by the reference path, which words its problems."""
    # not a Path per file: a portfolio reads 10,000
    return _loaded(os.fspath(path), table, frozenset(table.regions()))


def _loaded(name: str, table: FactorTable, regions: frozenset[str]) -> Service:
    """`load_service` of a file named as text, `regions` the table's (worked out once for
    a folder's files: `table.knows_region` twice a file was some 1.2k instructions)."""
    text = read_text(name)
    questionnaire = fast_path.read(text)
    if questionnaire is None:
        return service_from_document(parse_yaml(text, name), table)
    bounds = _made(Bounds)
    _setattr(
        bounds,
        "__dict__",
        {
            "central": questionnaire,
            "low": questionnaire,
            "high": questionnaire,
            "written": {},
            "comma": False,  # no range to read again
        },
    )
    service = _made(Service)
    document = unread(name, text, _normalised)
    _setattr(
        service,
        "__dict__",
        {"questionnaire": questionnaire, "document": document, "bounds": bounds},
    )
    if not _in_tables(questionnaire, regions):
        problems = _check_regions(service, table) + _check_instances(service, table)
        if problems:
            raise InputError(problems)
    return service


#: A file's Bounds and Service are made without their dataclasses' generated `__init__`,
#: whose `object.__setattr__` a field made them cost 14k instructions a file: each is a new
#: object given all its fields at once (a portfolio reads 10,000 files; copied in by a
#: call with keywords, what loading a chunk of 500 costs besides reading the texts and the
#: fast path was 9.9 M instructions, 8.7 M so). tests/questionnaire/test_service.py holds
#: them equal to the dataclass's own.
_made = object.__new__
_setattr = object.__setattr__  # (a frozen dataclass's own refuses)


def service_from_document(document: Document, table: FactorTable) -> Service:
    """Validate and check parsed questionnaire data (a file's, or one changed by --what-if)."""
    _normalise(document)
    try:
        bounds = validate_ranges(document)
    except InputError as error:
        raise InputError(in_order(error.problems + _written_regions(document, table))) from None
    service = Service(bounds.central, document, bounds)
    problems = against_tables(service, table)
    if problems:
        raise InputError(problems)
    return service


def against_tables(service: Service, table: FactorTable) -> list[Problem]:
    """The countries and cloud instances the factor tables do not know, located in the file."""
    if _in_tables(service.questionnaire, frozenset(table.regions())):
        return []
    return _check_regions(service, table) + _check_instances(service, table)


def _in_tables(q: Questionnaire, regions: frozenset[str]) -> bool:
    """Whether the tables, which know `regions`, know every country of a questionnaire that
    names no cloud instance, nor has terminals or AI (a portfolio's usual file): a few
    look-ups, where the checks above list every place a country is written first (0.9 us a
    file against 2.9)."""
    usage, hosting = q.usage, q.hosting
    if q.terminals is not None or q.ai is not None:
        return False
    if usage.location is not None and usage.location not in regions:
        return False
    if hosting is None:
        return True
    if hosting.location is not None and hosting.location not in regions:
        return False
    for server in hosting.servers:  # noqa: SIM110 (a loop: 2.9k instructions a file, all() 5.0k)
        if server.instance is not None:
            return False
    return True


def load_services(paths: list[str | Path], table: FactorTable) -> list[Service]:
    """Load every file, collecting the problems of all of them before failing."""
    return load_files(expand_names(paths), table)


def load_files(files: list[str] | list[Path], table: FactorTable) -> list[Service]:
    """Load files already expanded (`expand_names`), collecting every problem first."""
    services, problems = [], []
    regions = frozenset(table.regions())
    for path in files:
        try:
            services.append(_loaded(os.fspath(path), table, regions))
        except InputError as error:
            problems += error.problems
    if problems:
        raise InputError(problems)
    return services
