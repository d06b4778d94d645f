"""The object model: a compiled rubric, the library's public vocabulary.

Nothing here knows about Lark or about how the text was written. Each kind of rule,
outcome and adjustment is one class that knows how it scores, what it can give and how
it is written; build a rubric in Python from these classes, then check it with
``rubricdsl.validate``.
"""

from ..numbers import Rounding, RoundingMode
from .adjustments import ADJUSTMENTS, Adjustment, AdjustmentKind, Assessed, PerOccurrence, WhenCondition
from .choices import Case, Cases, Level, Levels
from .expressions import (
    FUNCTIONS,
    Binary,
    Call,
    Comparison,
    Condition,
    Constant,
    Expr,
    Label,
    Logical,
    Name,
    Negation,
    Not,
    Truth,
)
from .facts import Fact, Tag
from .inputs import DEFAULT_DOMAINS, REQUIREMENTS, Input, InputSource, Measure, Requirement
from .intervals import Domain, Interval
from .located import Construct, Located
from .outcomes import (
    OUTCOMES,
    AssessedRange,
    Deduct,
    Direction,
    FixedOutcome,
    FixedScore,
    Full,
    LinearDeduction,
    Outcome,
    Zero,
)
from .rubric import Applicability, Grade, GradeScale, Group, Item, PartCap, Rubric, Veto
from .rules import RULES, Band, BandTable, CategoryBands, CategoryTable, Formula, Judged, Rule, RuleScore

__all__ = [
    "ADJUSTMENTS",
    "DEFAULT_DOMAINS",
    "FUNCTIONS",
    "OUTCOMES",
    "REQUIREMENTS",
    "RULES",
    "Adjustment",
    "AdjustmentKind",
    "Applicability",
    "Assessed",
    "AssessedRange",
    "Band",
    "BandTable",
    "Binary",
    "Call",
    "Case",
    "Cases",
    "CategoryBands",
    "CategoryTable",
    "Comparison",
    "Condition",
    "Constant",
    "Construct",
    "Deduct",
    "Direction",
    "Domain",
    "Expr",
    "Fact",
    "FixedOutcome",
    "FixedScore",
    "Formula",
    "Full",
    "Grade",
    "GradeScale",
    "Group",
    "Input",
    "InputSource",
    "Interval",
    "Item",
    "Judged",
    "Label",
    "Level",
    "Levels",
    "LinearDeduction",
    "Located",
    "Logical",
    "Measure",
    "Name",
    "Negation",
    "Not",
    "Outcome",
    "PartCap",
    "PerOccurrence",
    "Requirement",
    "Rounding",
    "RoundingMode",
    "Rubric",
    "Rule",
    "RuleScore",
    "Tag",
    "Truth",
    "Veto",
    "WhenCondition",
    "Zero",
]
