"""The 2013 health-supervision rubric scored by hand: floors, caps, whole steps, bonuses, evidence, errors.

Every expected number below is computed from sources/health-supervision-2013.txt and its reading
(health-supervision-2013.md, scoring-semantics.md); the rubric file is used only for item ids and
input names. Item numbers in the comments (一.1 … 七.27) are the document's.
"""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

import rubricdsl

from .helpers import HEALTH, ROOT, run, write_round

EXAMPLE = ROOT / "examples" / "health-supervision-centres.json"

D = Decimal
F = Fraction

# The points of each item and group, read off the document (注1: 100 base points).
POINTS = {
    "leadership": 2, "plans": 3, "services_notice": F("0.5"), "office_signage": F("1.5"),
    "training": 2, "supervision": 4, "performance_method": 1, "dedicated_accounts": 1, "funds_compliance": 1,
    "campaigns": 2, "chef_training": 2, "public_training": 4,
    "baseline_records": 5, "licensing_help": 8, "licence_rates": 4,
    "patrols": 15, "grading": 2, "disease_patrols": 3, "occupational_guidance": 3, "water_tests": 3, "illegal_practice": 6,
    "monthly_reports": 6, "leads": 12, "incident_reports": 5,
    "incident_assistance": 2, "health_creation": 2, "assigned_tasks": 0,
}  # fmt: skip
GROUPS = {
    "organization": ("leadership", "plans", "services_notice", "office_signage"),
    "management": ("training", "supervision", "performance_method", "dedicated_accounts", "funds_compliance"),
    "publicity": ("campaigns", "chef_training", "public_training"),
    "baseline": ("baseline_records", "licensing_help", "licence_rates"),
    "inspection": ("patrols", "grading", "disease_patrols", "occupational_guidance", "water_tests", "illegal_practice"),
    "reporting": ("monthly_reports", "leads", "incident_reports"),
    "other_tasks": ("incident_assistance", "health_creation", "assigned_tasks"),
}  # fmt: skip
GROUP_POINTS = {"organization": 7, "management": 9, "publicity": 8, "baseline": 17, "inspection": 32, "reporting": 23, "other_tasks": 4}  # fmt: skip

CAMPAIGNS = 2  # targets.campaigns of the default round: the bureau deployed 2 campaigns

# A centre that meets every requirement exactly and earns no bonus: 100 points, 0 bonus.
FULL: dict[str, Any] = {
    "leadership": {"absent": 0},
    "plans": 0,
    "services_notice": 1,
    "office_signage": {"marked": 1, "services_published": 1, "rules_unpublished": 0},
    "training": {"trained": 1},
    "supervision": {"visits": 4},
    "performance_method": {"has_method": 1},
    "dedicated_accounts": 1,
    "funds_compliance": 0,
    "campaigns": CAMPAIGNS,
    "chef_training": {"held": 1},
    "public_training": {"sessions": 8, "industries": 7},
    "baseline_records": {"absent": 0},
    "licensing_help": {"licences": 1, "health_checks": 1, "registered": 1},
    "licence_rates": {"unlicensed": 0, "certified_rate": 98},
    "patrols": {"required": 400, "done": 400, "records_missing": 0},
    "grading": 100,
    "disease_patrols": 4,
    "occupational_guidance": 6,
    "water_tests": 60,
    "illegal_practice": {"patrols": 24, "unassisted": 0, "serious_harm": 0},
    "monthly_reports": {"late": 0, "missed": 0},
    "leads": {"reported": 6, "valuable": 0},
    "incident_reports": {"events": 0, "late": 0, "concealed": 0},
    "incident_assistance": {"events": 0, "unassisted": 0},
    "health_creation": {"tasks": 0, "town": 0, "village": 0, "street": 0, "shop": 0},
    "assigned_tasks": 0,
}

# Every bonus the document allows: 23 (2 + 5), 26 (1 + 0.5 + 1 + 0.5), 27 (2).
EVERY_BONUS = {
    "leads": {"reported": 20, "valuable": 12},
    "health_creation": {"tasks": 1, "town": 1, "village": 1, "street": 1, "shop": 1},
    "assigned_tasks": 2,
}


@pytest.fixture(scope="module")
def rubric():
    return rubricdsl.load(HEALTH)


def unit(unit_id: str, changes: dict[str, Any] | None = None, missing_evidence=()) -> dict[str, Any]:
    """A full-marks centre with some items' values replaced."""
    return {
        "id": unit_id,
        "values": {**copy.deepcopy(FULL), **copy.deepcopy(changes or {})},
        "missing_evidence": list(missing_evidence),
    }


def score_round(rubric, *units: dict[str, Any], campaigns: int = CAMPAIGNS) -> list[rubricdsl.Scorecard]:
    return rubricdsl.score(rubric, {"targets": {"campaigns": campaigns}, "units": list(units)})


def score_one(rubric, changes=None, missing_evidence=(), campaigns: int = CAMPAIGNS) -> rubricdsl.Scorecard:
    (card,) = score_round(rubric, unit("中心", changes, missing_evidence), campaigns=campaigns)
    assert card.errors == (), card.errors
    return card


def case(name, item, value, score, bonus="0", applies=True):
    return pytest.param(item, value, F(score), F(bonus), applies, id=name)


# One centre per row: full marks except one item. (item, value, score, bonus, applies)
ITEM_CASES = [
    # 一.1 leadership (2): 每一项扣0.5分; 缺协管人员…酌情扣分, bounded by what remains.
    case("leadership-2-absent", "leadership", {"absent": 2}, "1"),  # 2 - 2·0.5
    case("leadership-4-absent", "leadership", {"absent": 4}, "0"),  # 2 - 4·0.5
    case("leadership-assessed-0", "leadership", {"absent": 1, "understaffed": 0}, "1.5"),  # 2 - 0.5 - 0
    case("leadership-assessed-at-bound", "leadership", {"absent": 1, "understaffed": D("1.5")}, "0"),  # 2 - 0.5 = 1.5 remains; all of it taken
    case("leadership-assessed-only", "leadership", {"absent": 0, "understaffed": D("0.75")}, "1.25"),  # 2 - 0.75
    # 一.2 plans (3): 每一项扣1分.
    case("plans-1-absent", "plans", 1, "2"),  # 3 - 1
    case("plans-3-absent", "plans", 3, "0"),  # 3 - 3
    # 一.3 services_notice (0.5): 未公示的扣0.5分.
    case("notice-unpublished", "services_notice", 0, "0"),  # 0.5 - 0.5
    # 一.4 office_signage (1.5): 无明显标识，或未公示…扣0.5分 (once); 未公示制度的每一项扣0.1分.
    case("signage-unmarked", "office_signage", {"marked": 0, "services_published": 1, "rules_unpublished": 0}, "1"),  # 1.5 - 0.5
    case("signage-both-once", "office_signage", {"marked": 0, "services_published": 0, "rules_unpublished": 3}, "0.7"),  # 1.5 - 0.5 - 3·0.1
    case("signage-rules-only", "office_signage", {"marked": 1, "services_published": 1, "rules_unpublished": 10}, "0.5"),  # 1.5 - 10·0.1
    case("signage-to-zero", "office_signage", {"marked": 1, "services_published": 0, "rules_unpublished": 10}, "0"),  # 1.5 - 0.5 - 1
    # 二.5 training (2): 未开展培训的扣2分; 不熟悉…酌情扣分.
    case("training-none", "training", {"trained": 0}, "0"),  # 2 - 2
    case("training-none-assessed-0", "training", {"trained": 0, "unfamiliar": 0}, "0"),  # nothing remains, 0 is the only allowed amount
    case("training-unfamiliar", "training", {"trained": 1, "unfamiliar": D("0.5")}, "1.5"),  # 2 - 0.5
    case("training-unfamiliar-at-bound", "training", {"trained": 1, "unfamiliar": 2}, "0"),  # 2 - 2
    # 二.6 supervision (4): 每少一次督导扣1分 below 4; 资料不齐全酌情扣分.
    case("supervision-3", "supervision", {"visits": 3}, "3"),  # 4 - 1
    case("supervision-0", "supervision", {"visits": 0}, "0"),  # 4 - 4
    case("supervision-6", "supervision", {"visits": 6}, "4"),  # more than 4 is no deduction, no extra
    case("supervision-records-at-bound", "supervision", {"visits": 2, "incomplete_records": 2}, "0"),  # 4 - 2 = 2 remains; 2 taken
    # 二.7 performance_method (1): 无考核办法的扣1分; 未落实经费分配酌情扣分.
    case("method-none", "performance_method", {"has_method": 0}, "0"),  # 1 - 1
    case("method-funds", "performance_method", {"has_method": 1, "funds_unallocated": D("0.4")}, "0.6"),  # 1 - 0.4
    # 二.8 dedicated_accounts (1): 未落实…扣1分.
    case("accounts-none", "dedicated_accounts", 0, "0"),  # 1 - 1
    # 二.9 funds_compliance (1): 每发现1次…扣0.5分，扣完为止.
    case("funds-1", "funds_compliance", 1, "0.5"),  # 1 - 0.5
    case("funds-2", "funds_compliance", 2, "0"),  # 1 - 1
    case("funds-7-floor", "funds_compliance", 7, "0"),  # 1 - 3.5 < 0: 扣完为止 → 0
    # 三.10 campaigns (2), 2 deployed this round: 每少一次扣1分，扣完为止.
    case("campaigns-1-of-2", "campaigns", 1, "1"),  # 2 - 1
    case("campaigns-0-of-2", "campaigns", 0, "0"),  # 2 - 2
    case("campaigns-5-of-2", "campaigns", 5, "2"),  # none short
    # 三.11 chef_training (2): 未开展的扣2分; 培训不全的酌情扣分.
    case("chef-none", "chef_training", {"held": 0}, "0"),  # 2 - 2
    case("chef-incomplete", "chef_training", {"held": 1, "incomplete": D("1.5")}, "0.5"),  # 2 - 1.5
    # 三.12 public_training (4): 每少一次扣0.5分 below 8, 每缺一个行业扣1分 of 7, 扣完为止.
    case("public-7-sessions", "public_training", {"sessions": 7, "industries": 7}, "3.5"),  # 4 - 0.5
    case("public-6-and-6", "public_training", {"sessions": 6, "industries": 6}, "2"),  # 4 - 2·0.5 - 1
    case("public-floor", "public_training", {"sessions": 2, "industries": 4}, "0"),  # 4 - 3 - 3 < 0 → 0
    case("public-12-sessions", "public_training", {"sessions": 12, "industries": 7}, "4"),  # no deduction
    # 四.13 baseline_records (5): 每个行业扣1分; 不全的酌情扣分.
    case("baseline-2-absent", "baseline_records", {"absent": 2, "incomplete": D("1.5")}, "1.5"),  # 5 - 2 - 1.5
    case("baseline-5-absent", "baseline_records", {"absent": 5}, "0"),  # 5 - 5
    # 四.14 licensing_help (8): 各扣1分; 登记不全的酌情扣分.
    case("licensing-2-missing", "licensing_help", {"licences": 0, "health_checks": 0, "registered": 1, "incomplete": D("2.5")}, "3.5"),  # 8 - 2 - 2.5
    case("licensing-3-missing", "licensing_help", {"licences": 0, "health_checks": 0, "registered": 0}, "5"),  # 8 - 3
    case("licensing-assessed-at-bound", "licensing_help", {"licences": 1, "health_checks": 1, "registered": 0, "incomplete": 7}, "0"),  # 8 - 1 = 7 remains; 7 taken
    # 四.15 licence_rates (4): 每缺1户扣1分; 持证率 每下降5%扣0.5分 below 98, whole steps; 扣完为止.
    case("rates-98", "licence_rates", {"unlicensed": 0, "certified_rate": 98}, "4"),  # 0 below
    case("rates-100", "licence_rates", {"unlicensed": 0, "certified_rate": 100}, "4"),  # above 98: no step, no extra
    case("rates-93.1", "licence_rates", {"unlicensed": 0, "certified_rate": D("93.1")}, "4"),  # 4.9 below: 0 whole steps
    case("rates-93", "licence_rates", {"unlicensed": 0, "certified_rate": 93}, "3.5"),  # 5 below: 1 step, 4 - 0.5
    case("rates-88", "licence_rates", {"unlicensed": 0, "certified_rate": 88}, "3"),  # 10 below: 2 steps
    case("rates-87.9", "licence_rates", {"unlicensed": 0, "certified_rate": D("87.9")}, "3"),  # 10.1 below: still 2 steps
    case("rates-1-unlicensed", "licence_rates", {"unlicensed": 1, "certified_rate": 98}, "3"),  # 4 - 1
    case("rates-2-and-83", "licence_rates", {"unlicensed": 2, "certified_rate": 83}, "0.5"),  # 4 - 2 - 3·0.5 (15 below)
    case("rates-floor", "licence_rates", {"unlicensed": 3, "certified_rate": 78}, "0"),  # 4 - 3 - 4·0.5 < 0 → 0
    case("rates-0", "licence_rates", {"unlicensed": 0, "certified_rate": 0}, "0"),  # 98 below: 19 steps, 9.5 > 4 → 0
    # 五.16 patrols (15): 每下降2%扣0.5分 below 100% of required visits (whole steps), 最高扣10分;
    #        指导记录每缺1份扣0.1分，最高扣5分.
    case("patrols-392-of-400", "patrols", {"required": 400, "done": 392, "records_missing": 0}, "14.5"),  # 98%: 2 short, 1 step
    case("patrols-393-of-400", "patrols", {"required": 400, "done": 393, "records_missing": 0}, "15"),  # 98.25%: 1.75 short, 0 steps
    case("patrols-951-of-1000", "patrols", {"required": 1000, "done": 951, "records_missing": 0}, "14"),  # 4.9 short: 2 steps
    case("patrols-2-of-3", "patrols", {"required": 3, "done": 2, "records_missing": 0}, "7"),  # 33.33… short: 16 steps, 15 - 8
    case("patrols-62-of-100", "patrols", {"required": 100, "done": 62, "records_missing": 0}, "5.5"),  # 38 short: 19 steps, 9.5
    case("patrols-cap-10-reached", "patrols", {"required": 100, "done": 60, "records_missing": 0}, "5"),  # 40 short: 20 steps = 10, the cap
    case("patrols-cap-10-bites", "patrols", {"required": 100, "done": 50, "records_missing": 0}, "5"),  # 25 steps = 12.5, capped at 10
    case("patrols-none-done", "patrols", {"required": 100, "done": 0, "records_missing": 0}, "5"),  # 50 steps = 25, capped at 10
    case("patrols-more-than-required", "patrols", {"required": 100, "done": 120, "records_missing": 0}, "15"),  # 0 short
    case("records-49", "patrols", {"required": 400, "done": 400, "records_missing": 49}, "10.1"),  # 4.9 < 5
    case("records-cap-5-reached", "patrols", {"required": 400, "done": 400, "records_missing": 50}, "10"),  # 5, the cap
    case("records-cap-5-bites", "patrols", {"required": 400, "done": 400, "records_missing": 60}, "10"),  # 6, capped at 5
    case("patrols-both-caps", "patrols", {"required": 100, "done": 0, "records_missing": 100}, "0"),  # 10 + 5 = 15
    case("patrols-both-below-caps", "patrols", {"required": 100, "done": 70, "records_missing": 30}, "4.5"),  # 15 steps 7.5 + 3
    # 五.17 grading (2): 量化分级率每下降10%扣0.5分 below 100%, whole steps, 扣完为止.
    case("grading-100", "grading", 100, "2"),
    case("grading-90.5", "grading", D("90.5"), "2"),  # 9.5 below: 0 steps
    case("grading-90", "grading", 90, "1.5"),  # 1 step
    case("grading-80.01", "grading", D("80.01"), "1.5"),  # 19.99 below: 1 step
    case("grading-60", "grading", 60, "0"),  # 4 steps = 2
    case("grading-0", "grading", 0, "0"),  # 10 steps = 5 > 2 → 0
    # 五.18 disease_patrols (3): 每缺1次扣1分 below 4, 扣完为止.
    case("disease-3", "disease_patrols", 3, "2"),  # 3 - 1
    case("disease-0-floor", "disease_patrols", 0, "0"),  # 3 - 4 < 0 → 0
    case("disease-10", "disease_patrols", 10, "3"),
    # 五.19 occupational_guidance (3): 每少1人扣0.5分 below 6, 扣完为止.
    case("occupational-5", "occupational_guidance", 5, "2.5"),  # 3 - 0.5
    case("occupational-0", "occupational_guidance", 0, "0"),  # 3 - 3
    case("occupational-9", "occupational_guidance", 9, "3"),
    # 五.20 water_tests (3): 每少1户次扣0.2分 below 5 a month (60), 扣完为止.
    case("water-59", "water_tests", 59, "2.8"),  # 3 - 0.2
    case("water-45", "water_tests", 45, "0"),  # 3 - 15·0.2
    case("water-0-floor", "water_tests", 0, "0"),  # 3 - 12 < 0 → 0
    case("water-70", "water_tests", 70, "3"),
    # 五.21 illegal_practice (6): 每缺1次扣0.5分 below 24; 每一户次扣1分; 严重危害每一户次扣2分; 扣完为止.
    case("illegal-22-1-0", "illegal_practice", {"patrols": 22, "unassisted": 1, "serious_harm": 0}, "4"),  # 6 - 1 - 1
    case("illegal-harm-3", "illegal_practice", {"patrols": 24, "unassisted": 0, "serious_harm": 3}, "0"),  # 6 - 6
    case("illegal-all-kinds-floor", "illegal_practice", {"patrols": 20, "unassisted": 2, "serious_harm": 1}, "0"),  # 6 - 2 - 2 - 2 = 0
    case("illegal-no-patrols-floor", "illegal_practice", {"patrols": 0, "unassisted": 0, "serious_harm": 0}, "0"),  # 6 - 12 < 0 → 0
    case("illegal-30", "illegal_practice", {"patrols": 30, "unassisted": 0, "serious_harm": 0}, "6"),
    # 六.22 monthly_reports (6): 每迟报一次扣0.5分，漏报一次扣1分；扣完为止.
    case("monthly-3-late-2-missed", "monthly_reports", {"late": 3, "missed": 2}, "2.5"),  # 6 - 1.5 - 2
    case("monthly-floor", "monthly_reports", {"late": 4, "missed": 5}, "0"),  # 6 - 2 - 5 < 0 → 0
    # 六.23 leads (12 + 7): 每少一条扣2分 below 6，最高扣12分; 多报告一条奖励0.2分，最高奖励2分;
    #        价值较高的每一条奖励0.5分，最高奖励5分.
    case("leads-5", "leads", {"reported": 5, "valuable": 0}, "10"),  # 12 - 2, no extra leads
    case("leads-0-cap-12", "leads", {"reported": 0, "valuable": 0}, "0"),  # 6 short: 12, the cap
    case("leads-7", "leads", {"reported": 7, "valuable": 0}, "12", "0.2"),  # 1 extra
    case("leads-16-bonus-cap-2-reached", "leads", {"reported": 16, "valuable": 0}, "12", "2"),  # 10 extra = 2, the cap
    case("leads-17-bonus-cap-2-bites", "leads", {"reported": 17, "valuable": 0}, "12", "2"),  # 11 extra = 2.2, capped
    case("leads-valuable-3", "leads", {"reported": 6, "valuable": 3}, "12", "1.5"),  # 3·0.5
    case("leads-valuable-cap-5-reached", "leads", {"reported": 10, "valuable": 10}, "12", "5.8"),  # 0.8 + 5 (10·0.5, the cap)
    case("leads-valuable-cap-5-bites", "leads", {"reported": 11, "valuable": 11}, "12", "6"),  # 1 + min(5.5, 5)
    case("leads-bonus-7", "leads", {"reported": 20, "valuable": 12}, "12", "7"),  # min(2.8, 2) + min(6, 5)
    case("leads-short-and-valuable", "leads", {"reported": 4, "valuable": 4}, "8", "2"),  # 12 - 2·2; bonus 4·0.5, none extra
    # 六.24 incident_reports (5): 迟报一次扣2分，瞒报一次扣5分；扣完为止; 未发生…的不扣分.
    case("incidents-none-happened", "incident_reports", {"events": 0, "late": 2, "concealed": 1}, "5", "0", False),  # does not apply
    case("incidents-1-late", "incident_reports", {"events": 3, "late": 1, "concealed": 0}, "3"),  # 5 - 2
    case("incidents-2-late", "incident_reports", {"events": 2, "late": 2, "concealed": 0}, "1"),  # 5 - 4
    case("incidents-concealed", "incident_reports", {"events": 1, "late": 0, "concealed": 1}, "0"),  # 5 - 5
    case("incidents-floor", "incident_reports", {"events": 2, "late": 1, "concealed": 1}, "0"),  # 5 - 7 < 0 → 0
    # 七.25 incident_assistance (2): 未协助调查的每一次扣1分; 未发生…的不扣分.
    case("assistance-none-happened", "incident_assistance", {"events": 0, "unassisted": 3}, "2", "0", False),  # does not apply
    case("assistance-1", "incident_assistance", {"events": 1, "unassisted": 1}, "1"),  # 2 - 1
    case("assistance-floor", "incident_assistance", {"events": 3, "unassisted": 3}, "0"),  # 2 - 3 < 0 → 0
    # 七.26 health_creation (2 + 3): 应当参与而未参与的扣2分; 辖区未创建的不扣分; 卫生镇1、卫生村0.5、
    #        示范街1、示范店0.5; 辖区无创建任务的不奖分.
    case("creation-no-task", "health_creation", {"tasks": 0, "town": 1, "village": 1, "street": 1, "shop": 1}, "2", "0", False),  # full, no bonus
    case("creation-not-taken-part", "health_creation", {"tasks": 1, "town": 0, "village": 0, "street": 0, "shop": 0}, "0"),  # 2 - 2
    case("creation-village", "health_creation", {"tasks": 1, "town": 0, "village": 1, "street": 0, "shop": 0}, "2", "0.5"),
    case("creation-shop", "health_creation", {"tasks": 1, "town": 0, "village": 0, "street": 0, "shop": 1}, "2", "0.5"),
    case("creation-town-street", "health_creation", {"tasks": 1, "town": 1, "village": 0, "street": 1, "shop": 0}, "2", "2"),  # 1 + 1
    case("creation-all", "health_creation", {"tasks": 1, "town": 1, "village": 1, "street": 1, "shop": 1}, "2", "3"),  # 1 + 0.5 + 1 + 0.5
    # 七.27 assigned_tasks (2 bonus only): 酌情奖分, 0 to 2.
    case("assigned-0", "assigned_tasks", 0, "0", "0"),
    case("assigned-1.25", "assigned_tasks", D("1.25"), "0", "1.25"),
    case("assigned-2", "assigned_tasks", 2, "0", "2"),
]  # fmt: skip


@pytest.mark.parametrize(("item", "value", "score", "bonus", "applies"), ITEM_CASES)
def test_item_by_hand(rubric, item, value, score, bonus, applies):
    """Each item scores as the document's 评分标准 computes it, and the total moves by exactly that much."""
    card = score_one(rubric, {item: value})
    got = card.items[item]
    assert (got.score, got.bonus, got.applies, got.evidence_missing) == (score, bonus, applies, False)
    assert card.base == 100 - POINTS[item] + score
    assert card.bonus == bonus
    assert card.total == 100 - POINTS[item] + score + bonus


def test_full_marks(rubric):
    """A centre meeting every requirement and earning no bonus scores exactly 100, reported 100.00, ungraded."""
    card = score_one(rubric)
    assert (card.base, card.bonus, card.total) == (100, 0, 100)
    assert str(card.reported_total) == "100.00"
    assert card.grade is None
    for group_id, points in GROUP_POINTS.items():
        assert sum(POINTS[item] for item in GROUPS[group_id]) == points, group_id
        assert (card.group(group_id).score, card.group(group_id).bonus) == (points, 0), group_id
    assert sum(POINTS.values()) == sum(GROUP_POINTS.values()) == 100


@pytest.mark.parametrize(
    ("understaffed", "total", "reported"),
    [
        ("0.125", "99.875", "99.88"),  # 2 - 0.125 = 1.875; half up at output
        ("0.005", "99.995", "100.00"),
        ("0.004", "99.996", "100.00"),
        ("0.006", "99.994", "99.99"),
    ],
)
def test_exact_total_is_rounded_once_at_output(rubric, understaffed, total, reported):
    """An assessed 0.125 keeps the total exact (99.875) and is rounded half up only when reported."""
    card = score_one(rubric, {"leadership": {"absent": 0, "understaffed": D(understaffed)}})
    assert card.total == F(total)
    assert str(card.reported_total) == reported


def test_every_bonus_gives_12_not_15(rubric):
    """Every bonus the items allow is 7 + 3 + 2 = 12, so the rubric's 15 is never reached: total 112."""
    card = score_one(rubric, EVERY_BONUS)
    assert card.items["leads"].bonus == 7  # min(10·0.2, 2) + min(12·0.5, 5)
    assert card.items["health_creation"].bonus == 3  # 1 + 0.5 + 1 + 0.5
    assert card.items["assigned_tasks"].bonus == 2
    assert (card.group("reporting").score, card.group("reporting").bonus) == (23, 7)
    assert (card.group("other_tasks").score, card.group("other_tasks").bonus) == (
        4,
        5,
    )  # 3 + 2, its declared 5
    assert (card.base, card.bonus, card.total) == (100, 12, 112)
    assert str(card.reported_total) == "112.00"


def test_group_6_bonus_of_10_cannot_be_reached(rubric):
    """Group 六 declares 23分+10分, but item 23 is its only bonus and allows 7: the most it earns is 7."""
    card = score_one(rubric, {"leads": {"reported": 40, "valuable": 40}})  # min(6.8, 2) + min(20, 5)
    assert card.items["leads"].bonus == 7
    assert card.group("reporting").bonus == 7
    assert (card.base, card.bonus, card.total) == (100, 7, 107)


def test_group_bonus_is_not_cut_by_lost_base_points(rubric):
    """Bonus is summed apart from base: a group that lost base points keeps its bonus."""
    # 22: 6 - 4·0.5 - 2·1 = 2; 23: 12 - 2·2 = 8, bonus 4·0.5 = 2; 24: 5 - 2 = 3 → 13 of 23, bonus 2.
    card = score_one(
        rubric,
        {
            "monthly_reports": {"late": 4, "missed": 2},
            "leads": {"reported": 4, "valuable": 4},
            "incident_reports": {"events": 1, "late": 1, "concealed": 0},
        },
    )
    assert (card.group("reporting").score, card.group("reporting").bonus) == (13, 2)
    assert (card.base, card.bonus, card.total) == (90, 2, 92)


# Two complete centres, every item filled in, scored by hand in a round where 3 campaigns were deployed.
# fmt: off
JIA = {  # 甲中心
    "leadership": {"absent": 1, "understaffed": D("0.5")},  # 2 - 0.5 - 0.5 = 1
    "plans": 1,  # 3 - 1 = 2
    "services_notice": 1,  # 0.5
    "office_signage": {"marked": 1, "services_published": 0, "rules_unpublished": 2},  # 1.5 - 0.5 - 0.2 = 0.8
    "training": {"trained": 1, "unfamiliar": D("0.5")},  # 2 - 0.5 = 1.5
    "supervision": {"visits": 3, "incomplete_records": D("0.5")},  # 4 - 1 - 0.5 = 2.5
    "performance_method": {"has_method": 1, "funds_unallocated": D("0.2")},  # 1 - 0.2 = 0.8
    "dedicated_accounts": 1,  # 1
    "funds_compliance": 1,  # 1 - 0.5 = 0.5
    "campaigns": 2,  # 3 deployed, 1 short: 2 - 1 = 1
    "chef_training": {"held": 1, "incomplete": D("0.5")},  # 2 - 0.5 = 1.5
    "public_training": {"sessions": 7, "industries": 6},  # 4 - 0.5 - 1 = 2.5
    "baseline_records": {"absent": 1, "incomplete": D("0.5")},  # 5 - 1 - 0.5 = 3.5
    "licensing_help": {"licences": 1, "health_checks": 0, "registered": 1, "incomplete": 1},  # 8 - 1 - 1 = 6
    "licence_rates": {"unlicensed": 1, "certified_rate": 85},  # 13 below 98: 2 steps; 4 - 1 - 1 = 2
    "patrols": {"required": 400, "done": 370, "records_missing": 12},  # 92.5%: 7.5 short, 3 steps = 1.5; 1.2; 15 - 2.7 = 12.3
    "grading": 85,  # 15 below: 1 step; 2 - 0.5 = 1.5
    "disease_patrols": 3,  # 3 - 1 = 2
    "occupational_guidance": 5,  # 3 - 0.5 = 2.5
    "water_tests": 55,  # 3 - 5·0.2 = 2
    "illegal_practice": {"patrols": 21, "unassisted": 1, "serious_harm": 0},  # 6 - 1.5 - 1 = 3.5
    "monthly_reports": {"late": 2, "missed": 1},  # 6 - 1 - 1 = 4
    "leads": {"reported": 9, "valuable": 2},  # 12; bonus 3·0.2 + 2·0.5 = 1.6
    "incident_reports": {"events": 1, "late": 1, "concealed": 0},  # 5 - 2 = 3
    "incident_assistance": {"events": 2, "unassisted": 1},  # 2 - 1 = 1
    "health_creation": {"tasks": 1, "town": 0, "village": 1, "street": 0, "shop": 1},  # 2; bonus 0.5 + 0.5 = 1
    "assigned_tasks": D("1.5"),  # bonus 1.5
}
JIA_GROUPS = {  # (base, bonus)
    "organization": ("4.3", "0"),  # 1 + 2 + 0.5 + 0.8
    "management": ("6.3", "0"),  # 1.5 + 2.5 + 0.8 + 1 + 0.5
    "publicity": ("5", "0"),  # 1 + 1.5 + 2.5
    "baseline": ("11.5", "0"),  # 3.5 + 6 + 2
    "inspection": ("23.8", "0"),  # 12.3 + 1.5 + 2 + 2.5 + 2 + 3.5
    "reporting": ("19", "1.6"),  # 4 + 12 + 3
    "other_tasks": ("3", "2.5"),  # 1 + 2 + 0; bonus 1 + 1.5
}
# base 4.3 + 6.3 + 5 + 11.5 + 23.8 + 19 + 3 = 72.9; bonus 1.6 + 2.5 = 4.1; total 77

YI = {  # 乙中心, with the written evidence of items 14 and 27 missing
    "leadership": {"absent": 0, "understaffed": 2},  # assessed at its bound: 2 - 2 = 0
    "plans": 0,  # 3
    "services_notice": 0,  # 0
    "office_signage": {"marked": 0, "services_published": 1, "rules_unpublished": 10},  # 1.5 - 0.5 - 1 = 0
    "training": {"trained": 0},  # 0
    "supervision": {"visits": 5, "incomplete_records": 0},  # 4
    "performance_method": {"has_method": 0},  # 0
    "dedicated_accounts": 0,  # 0
    "funds_compliance": 4,  # 1 - 2 < 0 → 0
    "campaigns": 0,  # 3 deployed, 3 short: 2 - 3 < 0 → 0
    "chef_training": {"held": 0},  # 0
    "public_training": {"sessions": 12, "industries": 7},  # 4
    "baseline_records": {"absent": 0},  # 5
    "licensing_help": {"licences": 1, "health_checks": 1, "registered": 1},  # 8, but no written evidence (注2) → 0
    "licence_rates": {"unlicensed": 0, "certified_rate": D("93.1")},  # 4.9 below: 0 steps → 4
    "patrols": {"required": 3, "done": 2, "records_missing": 7},  # 33.33… short: 16 steps = 8; 0.7; 15 - 8.7 = 6.3
    "grading": 100,  # 2
    "disease_patrols": 6,  # 3
    "occupational_guidance": 0,  # 3 - 3 = 0
    "water_tests": 60,  # 3
    "illegal_practice": {"patrols": 24, "unassisted": 0, "serious_harm": 3},  # 6 - 6 = 0
    "monthly_reports": {"late": 0, "missed": 0},  # 6
    "leads": {"reported": 20, "valuable": 12},  # 12; bonus 2 + 5 = 7
    "incident_reports": {"events": 0, "late": 1, "concealed": 1},  # no event: does not apply → 5
    "incident_assistance": {"events": 0, "unassisted": 1},  # no event: does not apply → 2
    "health_creation": {"tasks": 0, "town": 1, "village": 1, "street": 1, "shop": 1},  # no task: 2, no bonus
    "assigned_tasks": 2,  # no written evidence (注2) → bonus 0
}
YI_GROUPS = {
    "organization": ("3", "0"),  # 0 + 3 + 0 + 0
    "management": ("4", "0"),  # 0 + 4 + 0 + 0 + 0
    "publicity": ("4", "0"),  # 0 + 0 + 4
    "baseline": ("9", "0"),  # 5 + 0 + 4
    "inspection": ("14.3", "0"),  # 6.3 + 2 + 3 + 0 + 3 + 0
    "reporting": ("23", "7"),  # 6 + 12 + 5; bonus 7 (declared 10 not reached)
    "other_tasks": ("4", "0"),  # 2 + 2; bonus 0 (no task; 27 without evidence)
}
# base 3 + 4 + 4 + 9 + 14.3 + 23 + 4 = 61.3; bonus 7; total 68.3
# fmt: on


@pytest.mark.parametrize(
    ("name", "values", "missing", "groups", "base", "bonus", "total", "reported"),
    [
        pytest.param("甲中心", JIA, [], JIA_GROUPS, "72.9", "4.1", "77", "77.00", id="jia"),
        pytest.param("乙中心", YI, ["licensing_help", "assigned_tasks"], YI_GROUPS, "61.3", "7", "68.3", "68.30", id="yi"),
    ],
)  # fmt: skip
def test_complete_centre_by_hand(rubric, name, values, missing, groups, base, bonus, total, reported):
    """A centre with every item filled in scores, group by group, what the document computes by hand."""
    document = {
        "targets": {"campaigns": 3},
        "units": [{"id": name, "values": values, "missing_evidence": missing}],
    }
    (card,) = rubricdsl.score(rubric, document)
    assert card.errors == ()
    for group_id, (group_base, group_bonus) in groups.items():
        got = card.group(group_id)
        assert (got.score, got.bonus) == (F(group_base), F(group_bonus)), group_id
    assert (card.base, card.bonus, card.total) == (F(base), F(bonus), F(total))
    assert str(card.reported_total) == reported
    assert card.grade is None


def test_complete_centre_items(rubric):
    """乙中心's items that do not apply, lack evidence or are floored are each what the document says."""
    document = {
        "targets": {"campaigns": 3},
        "units": [{"id": "乙中心", "values": YI, "missing_evidence": ["licensing_help", "assigned_tasks"]}],
    }
    (card,) = rubricdsl.score(rubric, document)
    items = card.items
    assert (items["licensing_help"].score, items["licensing_help"].evidence_missing) == (0, True)
    assert (items["assigned_tasks"].bonus, items["assigned_tasks"].evidence_missing) == (0, True)
    for item in ("incident_reports", "incident_assistance", "health_creation"):
        assert (items[item].applies, items[item].score, items[item].bonus) == (False, POINTS[item], 0), item
    for item in ("campaigns", "funds_compliance", "illegal_practice", "occupational_guidance"):
        assert items[item].score == 0, item  # 扣完为止
    assert (items["patrols"].score, items["licence_rates"].score) == (F("6.3"), 4)


@pytest.mark.parametrize(
    ("campaigns", "held", "score"),
    [
        (3, 3, "2"),  # none short
        (3, 2, "1"),  # 2 - 1
        (3, 0, "0"),  # 2 - 3 < 0: 扣完为止 → 0
        (1, 0, "1"),  # 2 - 1
        (0, 0, "2"),  # nothing deployed, nothing short
    ],
)
def test_campaigns_against_the_round_target(rubric, campaigns, held, score):
    """Item 10 counts campaigns short of those the bureau deployed this round (targets.campaigns)."""
    card = score_one(rubric, {"campaigns": held}, campaigns=campaigns)
    assert card.items["campaigns"].score == F(score)
    assert card.total == 98 + F(score)


# 注2: 均必须提供书面文字材料，否则该项不得分. (item without evidence, changes, total)
@pytest.mark.parametrize(
    ("item", "changes", "total"),
    [
        ("leads", {"leads": {"reported": 20, "valuable": 12}}, "88"),  # 12 and its 7 bonus lost: 100 - 12
        ("funds_compliance", {}, "99"),  # 1 lost
        ("health_creation", {"health_creation": {"tasks": 1, "town": 1, "village": 1, "street": 1, "shop": 1}}, "98"),  # 2 and 3 bonus lost
        ("assigned_tasks", {"assigned_tasks": 2}, "100"),  # 2 bonus lost
        ("patrols", {}, "85"),  # 15 lost
    ],
)  # fmt: skip
def test_missing_evidence_scores_zero_and_no_bonus(rubric, item, changes, total):
    """An item whose written evidence is missing scores 0 and earns no bonus, whatever its values."""
    card = score_one(rubric, changes, missing_evidence=[item])
    got = card.items[item]
    assert (got.score, got.bonus, got.evidence_missing) == (0, 0, True)
    assert card.bonus == 0
    assert card.total == F(total)


def test_missing_evidence_outweighs_does_not_apply(rubric):
    """注2 says an item without its written evidence 不得分, so even an item that does not apply scores 0."""
    card = score_one(rubric, missing_evidence=["incident_reports"])  # no event: would be 5
    got = card.items["incident_reports"]
    assert (got.score, got.evidence_missing) == (0, True)
    assert card.total == 95


def test_missing_evidence_on_leads_leaves_the_group_without_bonus(rubric):
    """Item 23 without evidence: group 六 scores 6 + 0 + 5 = 11 and its bonus is 0, not 7."""
    card = score_one(rubric, {"leads": {"reported": 20, "valuable": 12}}, missing_evidence=["leads"])
    assert (card.group("reporting").score, card.group("reporting").bonus) == (11, 0)
    assert (card.base, card.bonus, card.total) == (88, 0, 88)


# Unit-level data errors: the unit gets an error naming the input and no total; the others are scored.
ERROR_CASES = [
    # (item, value, field, part of the message)
    pytest.param("leadership", {"absent": 1, "understaffed": D("1.51")}, "values.leadership.understaffed", "the assessor's deduction 1.51 is more than 1.5, what the other deductions leave", id="assessed-above-remaining"),
    pytest.param("leadership", {"absent": 0, "understaffed": D("-0.5")}, "values.leadership.understaffed", "-0.5 is outside [0..2]", id="assessed-negative"),
    pytest.param("leadership", {"absent": 4, "understaffed": D("0.01")}, "values.leadership.understaffed", "the assessor's deduction 0.01 is more than 0, what the other deductions leave", id="assessed-nothing-remains"),
    pytest.param("training", {"trained": 0, "unfamiliar": D("0.01")}, "values.training.unfamiliar", "the assessor's deduction 0.01 is more than 0, what the other deductions leave", id="assessed-after-full-deduction"),
    pytest.param("assigned_tasks", D("2.01"), "values.assigned_tasks", "2.01 is outside [0..2]", id="bonus-above-2"),
    pytest.param("assigned_tasks", -1, "values.assigned_tasks", "-1 is outside [0..2]", id="bonus-negative"),
    pytest.param("leads", {"reported": 6}, "values.leads.valuable", "missing input 'valuable'", id="missing-input"),
    pytest.param("leads", {"reported": "6", "valuable": 0}, "values.leads.reported", 'the text "6" is not a number', id="text-not-number"),
    pytest.param("services_notice", 2, "values.services_notice", "2 is outside [0..1]", id="flag-2"),
    pytest.param("office_signage", {"marked": 2, "services_published": 1, "rules_unpublished": 0}, "values.office_signage.marked", "2 is outside [0..1]", id="flag-2-named"),
    pytest.param("funds_compliance", D("1.5"), "values.funds_compliance", "1.5 is not a whole number", id="fractional-count"),
    pytest.param("leads", {"reported": D("6.5"), "valuable": 0}, "values.leads.reported", "6.5 is not a whole number", id="fractional-count-named"),
    pytest.param("funds_compliance", -1, "values.funds_compliance", "-1 is outside [0..)", id="negative-count"),
    pytest.param("licence_rates", {"unlicensed": 11, "certified_rate": 98}, "values.licence_rates.unlicensed", "11 is outside [0..10]", id="count-above-domain"),
    pytest.param("licence_rates", {"unlicensed": 0, "certified_rate": D("100.5")}, "values.licence_rates.certified_rate", "100.5 is outside [0..100]", id="percent-above-100"),
    pytest.param("patrols", {"required": 0, "done": 0, "records_missing": 0}, "values.patrols.required", "0 is outside [1..)", id="required-visits-zero"),
    pytest.param("plans", {"absent": 1}, "values.plans", "takes one number here, not an object", id="object-for-one-input"),
    pytest.param("leads", 7, "values.leads", "takes several inputs: give an object of reported, valuable", id="number-for-several-inputs"),
    pytest.param("leads", {"reported": 6, "valuable": 0, "valueable": 1}, "values.leads.valueable", "unknown key 'valueable'; did you mean 'valuable'?", id="unknown-input"),
]  # fmt: skip


def _bad_round(rubric, bad: dict[str, Any]) -> rubricdsl.Scorecard:
    first, second, third = score_round(rubric, unit("一中心"), bad, unit("三中心", EVERY_BONUS))
    assert (first.errors, first.total) == ((), 100), "the other centres are still scored"
    assert (third.errors, third.total) == ((), 112)
    assert (second.total, second.reported_total, second.base, second.bonus) == (None, None, None, None)
    return second


@pytest.mark.parametrize(("item", "value", "field", "message"), ERROR_CASES)
def test_bad_input_is_that_units_error(rubric, item, value, field, message):
    """A missing, malformed or out-of-bounds input is an error naming it; that unit has no total."""
    card = _bad_round(rubric, unit("二中心", {item: value}))
    errors = {error.field: error.message for error in card.errors}
    assert field in errors, card.errors
    assert message in errors[field]


@pytest.mark.parametrize("awarded", [0, 2])
def test_assigned_tasks_bonus_at_its_bounds(rubric, awarded):
    """Item 27's 酌情奖分 is accepted at 0 and at 2, both ends of what the item allows."""
    card = score_one(rubric, {"assigned_tasks": awarded})
    assert (card.items["assigned_tasks"].bonus, card.bonus, card.total) == (awarded, awarded, 100 + awarded)


def test_assigned_tasks_bonus_above_2_is_an_error(rubric):
    """An assessor's bonus of 2.01 on item 27 makes that unit an error; the others are scored."""
    (error,) = _bad_round(rubric, unit("二中心", {"assigned_tasks": D("2.01")})).errors
    assert error.field.startswith("values.assigned_tasks")
    assert "2.01 is outside [0..2], the domain of 'awarded'" in error.message


def test_missing_item(rubric):
    """An item left out of a unit's values is an error naming the item."""
    bad = unit("二中心")
    del bad["values"]["water_tests"]
    card = _bad_round(rubric, bad)
    assert [error.field for error in card.errors] == ["values.water_tests"]


def test_assessed_inputs_are_optional(rubric):
    """An item given only its required inputs scores as if every 酌情 amount were 0."""
    values = {
        "leadership": {"absent": 1},  # 1.5
        "chef_training": {"held": 1},  # 2
        "licensing_help": {"licences": 1, "health_checks": 1, "registered": 0},  # 7
    }
    card = score_one(rubric, values)
    assert [card.items[i].score for i in values] == [F("1.5"), 2, 7]
    bare = unit("中心")
    del bare["values"]["assigned_tasks"]  # its only input is the assessor's bonus
    (card,) = score_round(rubric, bare)
    assert (card.errors, card.items["assigned_tasks"].bonus, card.total) == ((), 0, 100)


def test_unknown_item_in_missing_evidence(rubric):
    """missing_evidence naming no item is an error with the nearest item suggested."""
    card = _bad_round(rubric, unit("二中心", missing_evidence=["lead"]))
    (error,) = card.errors
    assert error.field.startswith("missing_evidence")
    assert "did you mean 'leads'?" in error.message


def test_cli_scores_the_shipped_example():
    """`rubricdsl score` on the shipped example round exits 0 and lists every centre."""
    ids = [u["id"] for u in json.loads(EXAMPLE.read_text(encoding="utf-8"))["units"]]
    status, out, _ = run("score", HEALTH, EXAMPLE)
    assert status == 0
    assert ids and all(unit_id in out for unit_id in ids)


def test_cli_missing_round_target_stops_the_round(tmp_path):
    """Without targets.campaigns no centre can be scored: exit 2 naming the target."""
    data = write_round(tmp_path, {"targets": {}, "units": [unit("一中心")]})
    status, _, err = run("score", HEALTH, data)
    assert status == 2
    assert "targets.campaigns" in err


def test_more_valuable_leads_than_reported_ones_is_refused(rubric):
    """报告的线索中…: valuable leads are among those reported; a centre claiming more is not scored,
    the problem names both values, and its neighbours are scored."""
    before, wrong, after = score_round(
        rubric,
        unit("一中心"),
        unit("二中心", {"leads": {"reported": 6, "valuable": 8}}),
        unit("三中心", {"leads": {"reported": 8, "valuable": 8}}),
    )
    assert [(e.code, e.field, e.message) for e in wrong.errors] == [
        (
            "E407",
            "values.leads",
            f"{rubric.item('leads').title} requires valuable <= reported (报告的线索中，认定为价值较高的线索), "
            "but valuable = 8 and reported = 6",
        )
    ]
    assert wrong.total is None and "leads" not in wrong.items
    assert before.total is not None and after.items["leads"].bonus == F("4.4")  # 2·0.2 + 8·0.5
