"""Derive the GPU manufacturing factors of factors/ai.csv (ai.gpu*.<criterion>).

Boavizta's GPU component model (boaviztapi 2.4.1, docs components/gpu.md): a card's
manufacturing impact is the sum of its parts, each a published factor times a size:
GPU die (effective area, mm2), VRAM dies (effective area, mm2), printed board (cm2),
heatsink and casing (kg). The VRAM dies' area is 15.5 mm2 per GB shared by the dies, each
die's effective area counting the wafer it takes (300 mm wafer, 0.2 mm kerf) and its
yield, exp(-sqrt(area / 100 x 0.1)). The cards' sizes are Boavizta's crowdsourced GPU
specifications; the factors are the `gpu` component factors (manufacture) of
boaviztapi/data/factors.yml. Transport and end of life are left out (about 3.5 kg CO2 eq
for an H100). Check: the model's default card (814 mm2 die, 80 GB on 6 dies) gives
575.1 kg CO2 eq with transport and end of life in boaviztapi's own test
(tests/api/test_component.py, test_empty_gpu); this script gives 571.6 kg without them.

Run: python scripts/gpu_factors.py  (prints the derivations; the CSV keeps them as notes)
"""

from __future__ import annotations

import math

WAFER_DIAMETER = 300.0  # mm
KERF = 0.2  # mm
VRAM_MM2_PER_GB = 15.5

#: boaviztapi/data/factors.yml, "gpu" components, manufacture: per mm2 (die, vram),
#: per cm2 (pwb), per kg (heatsink, casing).
FACTORS = {
    "climate_change": {
        "die": 4.2592e-02,
        "vram": 1.8379e-01,
        "pwb": 3.2549e-02,
        "heatsink": 5.7412,
        "casing": 8.2542,
    },
    "minerals_metals": {
        "die": 1.5550e-08,
        "vram": 5.0731e-09,
        "pwb": 1.2707e-05,
        "heatsink": 1.8669e-03,
        "casing": 4.0835e-04,
    },
    "acidification": {
        "die": 2.3502e-04,
        "vram": 1.0127e-03,
        "pwb": 3.1602e-04,
        "heatsink": 2.1808e-01,
        "casing": 5.9556e-02,
    },
    "particulate_matter": {
        "die": 1.2976e-09,
        "vram": 5.5899e-09,
        "pwb": 1.7016e-09,
        "heatsink": 1.3574e-06,
        "casing": 3.7395e-07,
    },
    "ionising_radiation": {
        "die": 4.5966e-04,
        "vram": 1.5389e-03,
        "pwb": 9.6928e-02,
        "heatsink": 3.2488e02,
        "casing": 4.7803,
    },
    "water_use": {  # EF water use (m3 world eq deprived)
        "die": 1.4831e-02,
        "vram": 7.0829e-02,
        "pwb": 1.6173e-02,
        "heatsink": 1.0459e01,
        "casing": 3.8931,
    },
    "fossil_resources": {  # adpf, MJ
        "die": 5.5650e-01,
        "vram": 2.4002,
        "pwb": 5.1018e-01,
        "heatsink": 8.5042e01,
        "casing": 2.4302e02,
    },
}

#: boaviztapi/data/crowdsourcing/gpu_specs.csv: (name, VRAM dies, VRAM GB, die mm2 (already
#: effective), pwb cm2, casing kg, heatsink kg).
CARDS = {
    "h100": ("NVIDIA H100 SXM 80GB", 6, 80, 2810.4, 296.37, 0.78923, 0.90077),
    "a100": ("NVIDIA A100 SXM4 40GB", 6, 40, 1798.0, 105.0, 0.09, 1.25),
    "a100_pcie": ("NVIDIA A100 PCIe 40GB", 6, 40, 1798.0, 234.36, 0.387, 0.609),
    "l4": ("NVIDIA L4", 12, 24, 390.96, 93.13, 0.0, 0.0871),
    "p100": ("NVIDIA P100", 4, 16, 1088.7, 295.26, 0.175, 0.538),
}


def effective_area(die_mm2: float) -> float:
    """The wafer area one good die takes: its share of the dies that fit, over the yield."""
    side = math.sqrt(die_mm2) + KERF
    area = side * side
    wafer = math.pi * (WAFER_DIAMETER / 2) ** 2
    dies = wafer / area - math.pi * WAFER_DIAMETER / math.sqrt(2 * area)
    yield_ = math.exp(-math.sqrt(area / 100 * 0.1))
    return wafer / dies / yield_


def vram_area(gigabytes: float, dies: int) -> float:
    return effective_area(gigabytes * VRAM_MM2_PER_GB / dies) * dies


def derive(card: str, criterion: str) -> tuple[float, str]:
    name, dies, gigabytes, die, pwb, casing, heatsink = CARDS[card]
    f = FACTORS[criterion]
    vram = vram_area(gigabytes, dies)
    parts = [
        ("die", die, "mm2", f["die"]),
        ("vram", vram, "mm2", f["vram"]),
        ("pwb", pwb, "cm2", f["pwb"]),
        ("heatsink", heatsink, "kg", f["heatsink"]),
        ("casing", casing, "kg", f["casing"]),
    ]
    total = sum(size * factor for _, size, _, factor in parts)
    terms = " + ".join(
        f"{label} {size:.5g} {unit} x {factor:.5g} = {size * factor:.4g}"
        for label, size, unit, factor in parts
    )
    head = (
        f"Boavizta GPU component model, {name}, manufacture only (VRAM {gigabytes} GB on "
        f"{dies} dies: {gigabytes} x 15.5 / {dies} = {gigabytes * 15.5 / dies:.4g} mm2 a die, "
        f"effective {vram:.5g} mm2 in all)"
    )
    return total, f"{head}: {terms} = {total:.4g}"


if __name__ == "__main__":
    for card in CARDS:
        for criterion in FACTORS:
            value, note = derive(card, criterion)
            print(f"{card} {criterion} {value:.4g}\n  {note}")
