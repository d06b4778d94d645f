"""The object model: a compiled rubric, the library's public vocabulary.

Nothing here knows about Lark or about how the text was written. Each kind of rule,
outcome and adjustment is one class that knows how it scores, what it can give and how
it is written; build a rubric in Python from these classes, then check it with
``rubricdsl.validate``.
"""

from ..numbers import Rounding, RoundingMode
from .adjustments import ADJUSTMENTS, Adjustment, AdjustmentKind, Assessed, PerOccurrence, WhenCondition
from .expressions import (
    FUNCTIONS,
    Binary,
    Call,
    Comparison,
    Condition,
    Constant,
    Expr,
    Logical,
    Name,
    Negation,
    Not,
)
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
from .rubric import Applicability, Grade, GradeScale, Group, Item, Rubric, Veto
from .rules import RULES, Band, BandTable, Formula, Judged, Rule, RuleScore

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
    "Comparison",
    "Condition",
    "Constant",
    "Construct",
    "Deduct",
    "Direction",
    "Domain",
    "Expr",
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
    "LinearDeduction",
    "Located",
    "Logical",
    "Measure",
    "Name",
    "Negation",
    "Not",
    "Outcome",
    "PerOccurrence",
    "Requirement",
    "Rounding",
    "RoundingMode",
    "Rubric",
    "Rule",
    "RuleScore",
    "Veto",
    "WhenCondition",
    "Zero",
]
