"""Funnel limits allowing for over-dispersion: hand-made areas with known answers, then England's LAs."""
from __future__ import annotations

import math

import matplotlib
import numpy as np
import pandas as pd
import pytest

from csc import funnel
from csc.charts import PALETTE
from csc.errors import UsageError

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

Z95, Z998 = 1.959964, 3.090232


def areas(counts, populations, **extra) -> pd.DataFrame:
    codes = [f"E0{i:07d}" for i in range(len(counts))]
    return pd.DataFrame({"area_code": codes, "area_name": [f"Area {i}" for i in range(len(counts))],
                         "value": counts, "value_population": populations, **extra})


def test_close_to_the_target_means_no_over_dispersion_and_plain_poisson_limits():
    # Ten areas of 10,000 children at 2% expect 200 each (sd 14.1); +/-5 gives z = +/-0.35, phi ~ 0.125.
    result = funnel.limits(areas([195, 205] * 5, [10_000] * 10))
    assert result.method == "poisson" and result.tau2 == 0
    assert "no over-dispersion" in result.label
    assert result.phi == pytest.approx((5 / math.sqrt(200)) ** 2)
    assert result.target == pytest.approx(200.0)
    band = result.bands([10_000, 10_000], points=2).iloc[0]
    assert band["upper_99.8%"] == pytest.approx(200 + Z998 * math.sqrt(0.02 / 10_000) * 10_000)
    assert band["lower_95%"] == pytest.approx(200 - Z95 * math.sqrt(0.02 / 10_000) * 10_000)
    assert (result.areas["z"] == result.areas["z_poisson"]).all()


def over_dispersed() -> pd.DataFrame:
    """Sixty areas whose true rates differ by about 25% around 2%, drawn as Poisson counts (fixed seed)."""
    rng = np.random.default_rng(2005)
    populations = rng.integers(5_000, 300_000, 60)
    true_rates = 0.02 * np.exp(rng.normal(0, 0.25, 60))
    return areas(rng.poisson(true_rates * populations), populations)


@pytest.mark.parametrize("method", ["additive", "multiplicative"])
def test_strong_over_dispersion_widens_the_limits_and_flags_fewer_areas(method):
    result = funnel.limits(over_dispersed(), method=method)
    assert result.method == method and method in result.label and "Spiegelhalter" in result.label
    assert result.phi > 5
    plain, adjusted = result.outside(adjusted=False), result.outside()
    assert adjusted < plain / 3, f"{adjusted} outside adjusted 99.8% limits, {plain} outside Poisson ones"
    assert (result.areas["z"].abs() < result.areas["z_poisson"].abs()).all()


def test_additive_tau2_matches_a_hand_computation_on_five_areas():
    counts, pops = [30, 20, 60, 100, 120], [1_000, 2_000, 4_000, 8_000, 16_000]
    result = funnel.limits(areas(counts, pops), winsor=0)
    theta = 330 / 31_000
    z2 = [((c / n - theta) / math.sqrt(theta / n)) ** 2 for c, n in zip(counts, pops)]
    phi = sum(z2) / 5
    w = [n / theta for n in pops]
    tau2 = (5 * phi - 4) / (sum(w) - sum(x * x for x in w) / sum(w))
    assert result.phi == pytest.approx(phi)
    assert result.tau2 == pytest.approx(tau2 * 10_000 ** 2)
    # Limits at a population of 4,000: theta0 +/- z sqrt(theta0/n + tau^2), per 10,000.
    band = result.bands([4_000, 4_000], points=2).iloc[0]
    assert band["upper_95%"] == pytest.approx((theta + Z95 * math.sqrt(theta / 4_000 + tau2)) * 10_000)
    assert result.areas.loc[1, "z"] == pytest.approx((20 / 2_000 - theta) / math.sqrt(theta / 2_000 + tau2))


def test_multiplicative_limits_scale_the_poisson_sd_by_root_phi():
    result = funnel.limits(over_dispersed(), method="multiplicative", target=200)
    band = result.bands([50_000, 50_000], points=2).iloc[0]
    assert band["upper_95%"] == pytest.approx(200 + Z95 * math.sqrt(result.phi * 0.02 / 50_000) * 10_000)
    assert result.target == 200 and result.tau2 == 0


def test_winsorising_pulls_the_extreme_z_scores_in_to_the_10th_and_90th_percentiles():
    # Nine areas on target (z = 0) and one wild one: untrimmed phi is driven by it alone.
    frame = areas([200] * 9 + [400], [10_000] * 10)
    raw, trimmed = funnel.limits(frame, winsor=0, target=200), funnel.limits(frame, target=200)
    z_wild = 200 / math.sqrt(200)
    assert raw.phi == pytest.approx(z_wild ** 2 / 10)
    # The 90th percentile of nine zeros and z_wild, linearly interpolated, is 0.1 * z_wild.
    assert trimmed.phi == pytest.approx((0.1 * z_wild) ** 2 / 10)
    assert trimmed.winsor == 0.1 and "10% winsorised" in trimmed.label


def test_lower_limits_stop_at_zero():
    result = funnel.limits(areas([1, 3, 0, 8], [100, 300, 200, 1_000]))
    assert (result.bands()["lower_99.8%"] >= 0).all()
    assert result.bands()["lower_99.8%"].iloc[0] == 0


def test_areas_without_a_count_or_a_population_are_left_out_and_named():
    frame = areas([None, float("nan"), 40, 50, 0, 60, 70], [1_000, 2_000, 0, None, 3_000, 4_000, 5_000],
                  status=["c", "x", "", "", "", "", ""])
    result = funnel.limits(frame)
    assert result.excluded.to_dict("list") == {
        "area_code": ["E00000000", "E00000001", "E00000002", "E00000003"],
        "area_name": ["Area 0", "Area 1", "Area 2", "Area 3"],
        "reason": ["count suppressed to protect confidentiality (c)",
                   "count not available (older files: suppressed small number) (x)",
                   "no population estimate", "no population estimate"]}
    # A zero count is an observation, not a gap: it stays, at a rate of zero.
    assert result.areas["area_name"].tolist() == ["Area 4", "Area 5", "Area 6"]
    assert result.areas["rate"].iloc[0] == 0
    assert result.target == pytest.approx(130 / 12_000 * 10_000)
    assert "Left out: Area 0 (count suppressed" in result.note()


def test_bad_input_is_one_line_naming_the_parameter():
    with pytest.raises(UsageError, match="funnel method 'random'"):
        funnel.limits(areas([1, 2], [10, 20]), method="random")
    with pytest.raises(UsageError, match="winsor=0.5"):
        funnel.limits(areas([1, 2], [10, 20]), winsor=0.5)
    with pytest.raises(UsageError, match="no 'children' column"):
        funnel.limits(areas([1, 2], [10, 20]), population="children")
    with pytest.raises(UsageError, match="at least two areas"):
        funnel.limits(areas([1, None], [10, 20]))


def test_draw_labels_every_line_and_band_on_a_log_population_axis():
    result = funnel.limits(over_dispersed())
    fig, ax = plt.subplots()
    funnel.draw(ax, result, xlabel="Children aged 0 to 17 (log scale)", ylabel="Enquiries per 10,000 children",
                target_label="England, 189 per 10,000", highlight={"E00000003"})
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["95% limits", "99.8% limits", "England, 189 per 10,000", "Local authority", "Selected area"]
    assert ax.get_xscale() == "log" and ax.get_ylabel() == "Enquiries per 10,000 children"
    assert ax.xaxis.get_major_formatter()(100_000, 0) == "100,000"
    assert ax.get_lines()[-1].get_color() == PALETTE[3]
    assert matplotlib.colors.to_hex(ax.collections[1].get_facecolor()[0]) == PALETTE[2].lower()
    plt.close(fig)


def test_section47_rates_across_las_are_over_dispersed_and_city_of_london_is_named():
    result = funnel.la_funnel("cp.section47_enquiries", "2025", "latest")
    plain, adjusted = result.outside(adjusted=False), result.outside()
    assert result.method == "additive" and result.phi > 20, f"phi = {result.phi:.1f}"
    assert adjusted < plain / 4, f"{adjusted} LAs outside the adjusted 99.8% limits, {plain} outside Poisson ones"
    assert len(result.areas) + len(result.excluded) == 153
    # The pooled LA rate is England's published rate (230,590 enquiries over 12.18m children): 189 per 10,000.
    assert result.target == pytest.approx(189.3, abs=0.1)
    city = result.excluded.set_index("area_code").loc["E09000001"]
    assert city["area_name"] == "City of London" and "suppressed" in city["reason"]
