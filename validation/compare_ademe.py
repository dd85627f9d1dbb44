"""acvnum beside ADEME's model of digital uses, on matched uses, and beside published figures.

ADEME's open model ("Impact CO2", npm `@incubateur-ademe/publicodes-acv-numerique`, MIT,
data NegaOctet / Base Empreinte) is evaluated with the `publicodes` engine in node. When
node and npm are present the two packages are installed once into a cache folder
(ACVNUM_VALIDATION_CACHE, default ~/.cache/acvnum/validation-npm); without them the
script says so and prints acvnum's side and the published references only.

    python validation/compare_ademe.py            # the table of ratios
    python validation/compare_ademe.py --json     # the same, machine-readable
    python validation/compare_ademe.py --install-only

Ratios are acvnum / reference, climate change only (ADEME's model is carbon-only). Goal:
within x1.5 of ADEME's model on the total and x2 per tier (docs/validation.md says where
and why acvnum deliberately differs).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
MODEL_PACKAGE = "@incubateur-ademe/publicodes-acv-numerique"
PACKAGES = (f"{MODEL_PACKAGE}@2.1.0", "publicodes@1.10.3")
TIERS = ("terminals", "network", "datacenter")
TOTAL_GOAL, TIER_GOAL = 1.5, 2.0
#: ADEME's tiers are sub-rules of each use's rule.
ADEME_TIERS = {"terminals": "terminaux", "network": "transmission", "datacenter": "data center"}
DEVICES = {
    "smartphone": "smartphone",
    "ordinateur portable": "laptop",
    "ordinateur et écran": "desktop",
    "tablette": "tablet",
    "TV": "television",
}
NETWORKS = {"fixe FR": ("fixed", "FRA"), "mobile FR": ("mobile", "FRA")}
NETWORKS |= {"fixe EU": ("fixed", "EU27"), "mobile EU": ("mobile", "EU27")}


@dataclass(frozen=True)
class Use:
    """One use described twice: as a situation of ADEME's model and as an acvnum questionnaire.

    `users` people each make one visit of `duration` moving `data` (acvnum's units); the
    ADEME rule is evaluated for the whole use (a video call counts both ends).
    """

    id: str
    title: str
    rule: str
    situation: dict[str, Any]
    device: str  # ADEME device name
    network: str  # ADEME network name
    duration: str
    data: str
    users: int = 1
    #: `hosting.shared` entries: the use's share of the platforms that serve it.
    shared: tuple[dict[str, Any], ...] = ()
    tiers: tuple[str, ...] = TIERS  # the tiers ADEME's rule has
    period: str = "1 day"
    storage: dict[str, Any] | None = None  # hosting.storage, for what the use keeps

    def questionnaire(self) -> dict[str, Any]:
        access, region = NETWORKS[self.network]
        data: dict[str, Any] = {
            "name": self.title,
            "period": self.period,
            "usage": {
                "users": self.users,
                "visits_per_user": 1,
                "visit_duration": self.duration,
                "data_per_visit": self.data,
                "devices": {DEVICES[self.device]: "100%"},
                "network": {access: "100%"},
                "location": region,
            },
        }
        hosting: dict[str, Any] = {"location": region, "shared": list(self.shared)}
        if self.storage:
            hosting["storage"] = self.storage
        data["hosting"] = hosting
        return data


def _q(text: str) -> str:
    """A publicodes string literal."""
    return f"'{text}'"


def _use(
    id: str, title: str, rule: str, device: str, network: str, extra: dict[str, Any], **kw: Any
) -> Use:
    situation = dict(extra)
    if rule != "fichier":  # a file transfer has no device in ADEME's model
        situation[f"{rule} . appareil"] = _q(device)
    network_rule = (
        "transmission . émetteur . réseau" if rule == "email" else "transmission . réseau"
    )
    situation[f"{rule} . {network_rule}"] = _q(network)
    if rule == "email":
        situation["email . transmission . récepteur . réseau"] = _q(network)
    kw.setdefault("shared", SHARED[rule])
    return Use(id, title, rule, situation, device, network, **kw)


#: Each rule's data-centre side as a shared platform with acvnum's default intensities:
#: video and files per GB (ADEME's own streaming back end), a search or a mail per visit.
SHARED = {
    "visio": ({"name": "video platform", "per": "gb"},),
    "streaming": ({"name": "video platform", "per": "gb"},),
    "fichier": ({"name": "file host", "per": "gb"},),
    "recherche web": ({"name": "search engine", "per": "visit"},),
    "email": ({"name": "mail servers", "per": "visit"},),
}


#: The matched uses. Durations and sizes are ADEME's defaults for each rule, written out.
USES: tuple[Use, ...] = (
    # Video call: 2 participants (ADEME `visio . emplacements` = 2), 1 h in SD (0.7 GB/h).
    _use(
        "visio-smartphone-4g",
        "Video call, 1 h, smartphone, mobile FR",
        "visio",
        "smartphone",
        "mobile FR",
        {"visio . qualité": _q("SD")},
        duration="60 min",
        data="0.7 GB",
        users=2,
    ),
    _use(
        "visio-laptop-fixed",
        "Video call, 1 h, laptop, fixed FR",
        "visio",
        "ordinateur portable",
        "fixe FR",
        {"visio . qualité": _q("SD")},
        duration="60 min",
        data="0.7 GB",
        users=2,
    ),
    # Streaming: 1 h in HD (3 GB/h).
    _use(
        "streaming-tv-fixed",
        "Streaming, 1 h HD, TV, fixed FR",
        "streaming",
        "TV",
        "fixe FR",
        {"streaming . qualité": _q("HD")},
        duration="60 min",
        data="3 GB",
    ),
    _use(
        "streaming-smartphone-4g",
        "Streaming, 1 h HD, smartphone, mobile FR",
        "streaming",
        "smartphone",
        "mobile FR",
        {"streaming . qualité": _q("HD")},
        duration="60 min",
        data="3 GB",
    ),
    _use(
        "streaming-laptop-fixed-eu",
        "Streaming, 1 h HD, laptop, fixed EU",
        "streaming",
        "ordinateur portable",
        "fixe EU",
        {
            "streaming . qualité": _q("HD"),
            "usage réel . région": _q("Europe"),
            "usage data center . région": _q("Europe"),
        },
        duration="60 min",
        data="3 GB",
    ),
    # Web search: 50 s typing + 1 min reading, 16 kB request + 144.5 kB page (ADEME uses
    # 1 kB = 1/1024 MB).
    _use(
        "web-search-laptop",
        "Web search, laptop, fixed FR",
        "recherche web",
        "ordinateur portable",
        "fixe FR",
        {},
        duration="110 s",
        data="0.1567 MiB",
    ),
    _use(
        "web-search-smartphone-4g",
        "Web search, smartphone, mobile FR",
        "recherche web",
        "smartphone",
        "mobile FR",
        {},
        duration="110 s",
        data="0.1567 MiB",
    ),
    # Email of 1 MB to one recipient: 3 min writing, 10 s reading; sent and received.
    _use(
        "email-laptop",
        "Email 1 MB, laptop, fixed FR",
        "email",
        "ordinateur portable",
        "fixe FR",
        {},
        duration="190 s",
        data="2 MiB",
        # ADEME keeps the mail 10 years, 3 copies at the sender's and 3 at the recipient's
        period="10 years",
        storage={"volume": "2 MiB", "replicas": 3},
    ),
    # A 1 GB file transfer: ADEME counts no terminal (a background transfer).
    _use(
        "file-1gb-4g",
        "1 GB transfer, mobile FR",
        "fichier",
        "smartphone",
        "mobile FR",
        {},
        duration="0 s",
        data="1 GiB",
        tiers=("network", "datacenter"),
    ),
    _use(
        "file-1gb-fixed",
        "1 GB transfer, fixed FR",
        "fichier",
        "smartphone",
        "fixe FR",
        {},
        duration="0 s",
        data="1 GiB",
        tiers=("network", "datacenter"),
    ),
)


@dataclass(frozen=True)
class Reference:
    """A published figure for a use acvnum can describe, with its scope."""

    id: str
    title: str
    grams: float  # g CO2e for the use
    source: str
    scope: str
    questionnaire: dict[str, Any] = field(default_factory=dict)
    example: str | None = None  # or a shipped example file
    phase: str = "total"  # 'use' where the published figure leaves manufacturing out


#: ADEME's default device mix for streaming (`streaming . appareil . moyenne utilisation ...`).
STREAMING_MIX = {"television": "70%", "laptop": "15%", "tablet": "10%", "smartphone": "5%"}


def _one_hour(title: str, devices: dict, access: str, region: str, data: str) -> dict[str, Any]:
    usage = {
        "users": 1,
        "visits_per_user": 1,
        "visit_duration": "60 min",
        "data_per_visit": data,
        "devices": devices,
        "network": {access: "100%"},
        "location": region,
    }
    return {"name": title, "period": "1 day", "usage": usage}


REFERENCES: tuple[Reference, ...] = (
    Reference(
        "carbon-trust-streaming-eu",
        "Streaming, 1 h, Europe (Carbon Trust 2021)",
        55.0,
        "Carbon Trust (2021), Carbon impact of video streaming, white paper: about 55 g CO2e "
        "per hour in Europe",
        "use-phase electricity of device, network and data centre; no manufacturing",
        _one_hour("Streaming 1 h EU", STREAMING_MIX, "fixed", "EU27", "3 GB"),
        phase="use",
    ),
    Reference(
        "iea-streaming-world",
        "Streaming, 1 h, world (IEA 2020)",
        36.0,
        "G. Kamiya, IEA (2020), The carbon footprint of streaming video: fact-checking the "
        "headlines: about 36 g CO2 per hour (2019 world average)",
        "operational electricity only, mix of devices; no manufacturing",
        _one_hour("Streaming 1 h WLD", STREAMING_MIX, "fixed", "WLD", "3 GB"),
        phase="use",
    ),
    Reference(
        "ademe-arcep-per-capita",
        "French inhabitant, 1 year (ADEME-Arcep 2022)",
        255_000.0,
        "ADEME-Arcep (January 2022), Évaluation de l'impact environnemental du numérique en "
        "France, 2020 data: 17.2 Mt CO2e / 67.4 M inhabitants = 255 kg CO2e per person",
        "whole digital sector incl. enterprise, public and IoT equipment; acvnum's example "
        "covers personal use only",
        example="examples/fr-per-capita.yaml",
    ),
)


# ---- ADEME's model, through node ----------------------------------------------------------


def cache_dir() -> Path:
    default = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "acvnum"
    return Path(os.environ.get("ACVNUM_VALIDATION_CACHE", default / "validation-npm"))


def installed(folder: Path) -> bool:
    return (folder / "node_modules" / MODEL_PACKAGE / "package.json").is_file() and (
        folder / "node_modules" / "publicodes" / "package.json"
    ).is_file()


def install(folder: Path) -> str | None:
    """Install the two npm packages into `folder`; None, or why it could not be done."""
    if installed(folder):
        return None
    npm = shutil.which("npm")
    if npm is None:
        return "npm not found: install node.js and npm to compare with ADEME's model"
    folder.mkdir(parents=True, exist_ok=True)
    command = [npm, "install", "--prefix", str(folder), "--no-audit", "--no-fund", "--silent"]
    done = subprocess.run([*command, *PACKAGES], capture_output=True, text=True, timeout=600)
    if done.returncode != 0 or not installed(folder):
        return f"npm install failed: {done.stderr.strip()[-500:]}"
    return None


def ademe_unavailable(folder: Path, may_install: bool) -> str | None:
    """None when ADEME's model can be run, else the reason it cannot."""
    if shutil.which("node") is None:
        return "node not found: install node.js to compare with ADEME's model"
    if installed(folder):
        return None
    if not may_install:
        return f"ADEME's model is not installed in {folder} (run with --install-only)"
    return install(folder)


def ademe_grams(uses: tuple[Use, ...], folder: Path) -> list[dict[str, float]]:
    """g CO2e per use: 'total' and each tier, from ADEME's model."""
    cases = [
        {
            "situation": u.situation,
            "rules": [u.rule, *(f"{u.rule} . {ADEME_TIERS[t]}" for t in u.tiers)],
        }
        for u in uses
    ]
    node = shutil.which("node") or "node"
    done = subprocess.run(
        [node, str(HERE / "ademe_eval.mjs")],
        input=json.dumps(cases),
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode != 0:
        raise RuntimeError(f"ADEME's model failed: {done.stderr.strip()[-800:]}")
    values = json.loads(done.stdout)
    return [
        {"total": v[u.rule]} | {t: v.get(f"{u.rule} . {r}", 0.0) for t, r in ADEME_TIERS.items()}
        for u, v in zip(uses, values, strict=True)
    ]


# ---- acvnum -----------------------------------------------------------------------------


def acvnum_grams(questionnaires: list[dict[str, Any] | Path]) -> list[dict[str, float]]:
    """g CO2e of each questionnaire: 'total' and each tier, from acvnum's central values."""
    # Imported here so that --install-only needs nothing but the standard library.
    import yaml

    from acvnum.assessment import assess

    with tempfile.TemporaryDirectory() as scratch:
        paths = []
        for i, q in enumerate(questionnaires):
            if isinstance(q, Path):
                paths.append(q)
                continue
            path = Path(scratch) / f"use-{i:02d}.yaml"
            path.write_text(yaml.safe_dump(q, allow_unicode=True, sort_keys=False))
            paths.append(path)
        results = assess(paths)
    out = []
    for result in results:
        climate = result.criteria["climate_change"]
        grams = {"total": climate.total} | climate.by_tier | {"use": climate.by_phase["use"]}
        out.append({k: v * 1000 for k, v in grams.items()})
    return out


# ---- comparison -------------------------------------------------------------------------


def _ratio(ours: float, theirs: float) -> float | None:
    return ours / theirs if theirs else None


def _within(ratio: float | None, goal: float) -> bool:
    return ratio is not None and 1 / goal <= ratio <= goal


def compare(may_install: bool = True) -> dict[str, Any]:
    """Everything the report prints, as data."""
    folder = cache_dir()
    reason = ademe_unavailable(folder, may_install)
    ours = acvnum_grams([u.questionnaire() for u in USES])
    theirs = ademe_grams(USES, folder) if reason is None else [None] * len(USES)
    rows = []
    for use, a, b in zip(USES, ours, theirs, strict=True):
        row: dict[str, Any] = {"id": use.id, "title": use.title, "acvnum_g": a, "ademe_g": b}
        if b is not None:
            row["ratio"] = {k: _ratio(a[k], b[k]) for k in ("total", *use.tiers)}
            row["within_goal"] = _within(row["ratio"]["total"], TOTAL_GOAL) and all(
                _within(row["ratio"][t], TIER_GOAL) for t in use.tiers
            )
        rows.append(row)
    return {
        "ademe_model": None if reason else dict(p.rsplit("@", 1) for p in PACKAGES),
        "ademe_unavailable": reason,
        "goal": {"total": TOTAL_GOAL, "tier": TIER_GOAL},
        "uses": rows,
        "references": _references(),
    }


def _references() -> list[dict[str, Any]]:
    root = HERE.parent
    kept = [r for r in REFERENCES if r.example is None or (root / r.example).is_file()]
    inputs = [root / r.example if r.example else r.questionnaire for r in kept]
    ours = acvnum_grams(inputs)
    return [
        {
            "id": r.id,
            "title": r.title,
            "reference_g": r.grams,
            "phase": r.phase,
            "acvnum_g": a[r.phase],
            "ratio": a[r.phase] / r.grams,
            "source": r.source,
            "scope": r.scope,
        }
        for r, a in zip(kept, ours, strict=True)
    ]


def _cell(ratio: float | None, goal: float) -> str:
    if ratio is None:
        return "-"
    return f"{ratio:.2f}{'' if _within(ratio, goal) else '!'}"


def render(report: dict[str, Any]) -> str:
    lines = ["acvnum beside ADEME's model of digital uses (climate change, g CO2e per use)"]
    if report["ademe_unavailable"]:
        lines.append(f"ADEME's model skipped: {report['ademe_unavailable']}")
    else:
        model = ", ".join(f"{k} {v}" for k, v in report["ademe_model"].items())
        lines.append(
            f"ADEME's model: {model}. Ratio = acvnum / ADEME; '!' = outside the goal "
            f"(x{TOTAL_GOAL:g} total, x{TIER_GOAL:g} per tier)."
        )
    header = (
        f"{'use':42} {'acvnum':>8} {'ADEME':>8} {'total':>6} {'term.':>6} {'netw.':>6} {'DC':>6}"
    )
    lines += ["", header, "-" * len(header)]
    for row in report["uses"]:
        a, b, r = row["acvnum_g"], row["ademe_g"], row.get("ratio", {})
        cells = [_cell(r.get("total"), TOTAL_GOAL), *(_cell(r.get(t), TIER_GOAL) for t in TIERS)]
        ademe = f"{b['total']:8.3g}" if b else f"{'-':>8}"
        lines.append(
            f"{row['title']:42} {a['total']:8.3g} {ademe} " + " ".join(f"{c:>6}" for c in cells)
        )
    if not report["ademe_unavailable"]:
        met = sum(row["within_goal"] for row in report["uses"])
        lines.append(f"\n{met} of {len(report['uses'])} uses within the goal.")
    lines += ["", "Beside published figures (g CO2e; ratio = acvnum / published):"]
    for ref in report["references"]:
        lines.append(
            f"  {ref['title']:48} published {ref['reference_g']:>9.4g}  acvnum "
            f"{ref['acvnum_g']:>9.4g}  ratio {ref['ratio']:.2f}"
        )
        compared = "acvnum's use phase" if ref["phase"] == "use" else "acvnum's total"
        lines.append(f"      {ref['source']}; scope: {ref['scope']} ({compared} compared)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print the comparison as JSON")
    parser.add_argument(
        "--no-install",
        action="store_true",
        help="never run npm; skip ADEME's model if it is not installed",
    )
    parser.add_argument(
        "--install-only",
        action="store_true",
        help="install ADEME's model into the cache folder and stop",
    )
    args = parser.parse_args(argv)
    if args.install_only:
        reason = ademe_unavailable(cache_dir(), may_install=True)
        print(reason or f"ADEME's model is installed in {cache_dir()}")
        return 0 if reason is None else 1
    report = compare(may_install=not args.no_install)
    print(json.dumps(report, indent=2, ensure_ascii=False) if args.json else render(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
