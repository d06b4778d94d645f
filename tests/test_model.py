"""The object model built in Python: checked types, equality without positions, lookups, validate()."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import attrs
import pytest

import rubricdsl
from rubricdsl.model import (
    AdjustmentKind,
    Assessed,
    Band,
    BandTable,
    Binary,
    Constant,
    Deduct,
    Direction,
    Full,
    Grade,
    GradeScale,
    Group,
    Input,
    InputSource,
    Interval,
    Item,
    Judged,
    Measure,
    Name,
    PerOccurrence,
    Rubric,
    Veto,
    Zero,
)

from .helpers import EZHOU, findings

TEXT = """rubric "质量工作考核" {
  total 15
  grades { A >= 13 "优秀"  B "合格" }
  group product "产品质量" points 10 {
    item pass_rate "产品质量合格率" points 10 {
      input value percent
      input target percent (0..100] from targets
      measure completion = 100 * value / target
      bands completion, lower is worse { [100..) full [90..100) deduct 2 (..90) zero }
    }
  }
  item planning "质量发展规划" points 5 { judged }
  veto incident "发生重大质量事件" { grade B }
}"""


def built() -> Rubric:
    """TEXT, built in Python."""
    completion = Binary("/", Binary("*", Constant(100), Name("value")), Name("target"))
    table = BandTable(
        "completion",
        Direction.LOWER_IS_WORSE,
        [
            Band(Interval(100, None, True, False), Full()),
            Band(Interval(90, 100, True, False), Deduct(2)),
            Band(Interval(None, 90, False, False), Zero()),
        ],
    )
    rate = Item(
        "pass_rate",
        "产品质量合格率",
        10,
        table,
        inputs=[
            Input("value", "percent"),
            Input("target", "percent", Interval(0, 100, False, True), InputSource.TARGETS),
        ],
        measures=[Measure("completion", completion)],
    )
    return Rubric(
        "质量工作考核",
        [Group("product", "产品质量", [rate], points=10), Item("planning", "质量发展规划", 5, Judged())],
        total=15,
        grades=GradeScale([Grade("A", 13, "优秀"), Grade("B", None, "合格")]),
        vetoes=[Veto("incident", "发生重大质量事件", "B")],
    )


def test_a_rubric_built_in_python_equals_the_one_read_from_text():
    """Positions and the file a rubric came from take no part in equality."""
    read = rubricdsl.loads(TEXT, path="质量.rub")
    assert read == built()
    assert read.path == "质量.rub" and built().path is None
    assert read.item("pass_rate").span is not None and built().item("pass_rate").span is None


def test_numbers_are_taken_in_any_exact_form():
    """Points and edges may be written as int, Decimal, Fraction, decimal text or a float's shortest decimal."""
    assert Item("a", "甲", "2.5", Judged()) == Item("a", "甲", Decimal("2.5"), Judged())
    assert Item("a", "甲", 0.1, Judged()).points == Fraction(1, 10)
    assert Interval("89.1", 99).lower == Fraction(891, 10)


@pytest.mark.parametrize(
    ("build", "error", "words"),
    [
        (lambda: Item("a", 3, 10, Judged()), TypeError, "title"),
        (lambda: Item("a", "甲", "ten", Judged()), ValueError, "'ten' is not a decimal number"),
        (lambda: Item("a", "甲", True, Judged()), TypeError, "true is not a number"),
        (lambda: Item("a", "甲", 10, "judged"), TypeError, "Item.rule is str"),
        (lambda: Band(Interval(0, 1), "full"), TypeError, "Band.outcome is str, not Outcome"),
        (lambda: Rubric("t", [Veto("v", "否决", "D")]), TypeError, "Rubric.children holds Veto"),
        (lambda: PerOccurrence("deduct", 1, Name("n")), TypeError, "kind"),
        (lambda: Binary("^", Constant(1), Constant(2)), ValueError, "op"),
        (lambda: Measure("m", "value * 2"), TypeError, "not an expression"),
        (lambda: Input("v", "percentage"), ValueError, "kind"),
    ],
)
def test_a_value_of_the_wrong_type_is_refused_on_construction(build, error, words):
    """Each class checks what it is given, so a mistake shows where it is made, not as a KeyError later."""
    with pytest.raises(error, match=words):
        build()


def test_items_groups_and_vetoes_are_found_by_id():
    """Lookups by id go through an index; an unknown id is a KeyError naming it."""
    rubric = rubricdsl.load(EZHOU)
    assert rubric.item("port_inspection").title == "口岸检验检疫综合能力建设"
    assert rubric.group("macro").points == 16
    assert rubric.veto("systemic_incident").grade == "D"
    with pytest.raises(KeyError, match="port"):
        rubric.item("port")


def test_validate_finds_in_a_python_rubric_what_check_finds_in_its_text():
    """The same mistakes, made in text and in Python, give the same codes and messages."""
    text = (
        TEXT.replace("(..90) zero", "(..80) zero")  # a gap from 80 to 90
        .replace("grade B }", "grade C }")  # a grade the scale lacks
        .replace("total 15", "total 20")  # points that do not add up
        .replace(
            'item planning "质量发展规划" points 5 { judged }',
            'item planning "质量发展规划" points 5 { judged }\n  item planning "重复" points 1 { judged }',
        )
    )
    rubric = built()
    rate = rubric.item("pass_rate")
    assert isinstance(rate.rule, BandTable)
    bands = [*rate.rule.bands[:2], Band(Interval(None, 80, False, False), Zero())]
    broken = attrs.evolve(
        rubric,
        total=20,
        children=[
            Group(
                "product",
                "产品质量",
                [attrs.evolve(rate, rule=attrs.evolve(rate.rule, bands=bands))],
                points=10,
            ),
            rubric.item("planning"),
            Item("planning", "重复", 1, Judged()),
        ],
        vetoes=[Veto("incident", "发生重大质量事件", "C")],
    )
    from_text = findings(text)
    from_python = [(p.code, p.message) for p in rubricdsl.validate(broken)]
    assert (
        sorted(code for code, _ in from_text)
        == sorted(code for code, _ in from_python)
        == ["E101", "E111", "E201"]
    )
    assert ("E111", "unknown grade 'C'") in from_text and ("E111", "unknown grade 'C'") in from_python
    assert ("E101", "id 'planning' is already used on line 12") in from_text
    assert ("E101", "id 'planning' is already used") in from_python
    assert (
        "E201",
        "no band of 产品质量合格率 (pass_rate) takes completion = 80 (between the bands on line 9)",
    ) in from_text
    assert (
        "E201",
        "no band of 产品质量合格率 (pass_rate) takes completion = 80 (between band (..80) and band [90..100))",
    ) in from_python


def test_validate_proves_a_python_rubric_without_structural_errors():
    """With no structural error, the proofs run: a gap and a total that does not add up."""
    rubric = built()
    rate = rubric.item("pass_rate")
    assert isinstance(rate.rule, BandTable)
    bands = [*rate.rule.bands[:2], Band(Interval(None, 80, False, False), Zero())]
    gapped = attrs.evolve(rate, rule=attrs.evolve(rate.rule, bands=bands))
    broken = attrs.evolve(
        rubric,
        total=20,
        children=[Group("product", "产品质量", [gapped], points=10), rubric.item("planning")],
    )
    assert [(p.code, p.message) for p in rubricdsl.validate(broken)] == [
        (
            "E201",
            "no band of 产品质量合格率 (pass_rate) takes completion = 80 (between band (..80) and band [90..100))",
        ),
        ("W101", "the rubric declares 20 points but its groups and items add up to 15"),
    ]
    assert rubricdsl.validate(rubric) == []


def test_an_adjustment_adds_the_inputs_it_reads():
    """An assessor's amount is an input of its item, from 0 to what the item has, 0 when left out."""
    item = Item("a", "甲", 4, adjustments=[Assessed(AdjustmentKind.DEDUCT, "discretion")])
    assert item.inputs == ()
    (amount,) = item.all_inputs
    assert (amount.name, str(amount.domain), amount.default) == ("discretion", "[0..4]", 0)


def test_a_python_rubric_keeps_its_own_order_for_duplicate_ids():
    """Without positions, the first use of an id is the first in the rubric's own order: here the item,
    which keeps its id and is proved, while the group after it is the duplicate."""
    table = BandTable(
        "v", Direction.LOWER_IS_WORSE, [Band(Interval(90, 100), Full()), Band(Interval(0, 80), Zero())]
    )
    first = Item("a", "甲", 5, table, inputs=[Input("v", "percent")])
    rubric = Rubric("t", [first, Group("a", "组", [Item("b", "乙", 5, Judged())])])
    assert [p.code for p in rubricdsl.validate(rubric)] == ["E101", "E201"]
