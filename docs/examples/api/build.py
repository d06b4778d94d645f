"""Build a rubric in Python, let validate() find its mistakes, mend them, and score a round."""

import attrs

import rubricdsl
from rubricdsl.model import (
    Band,
    BandTable,
    Binary,
    Constant,
    Deduct,
    Direction,
    Full,
    Grade,
    GradeScale,
    Input,
    InputSource,
    Interval,
    Item,
    Judged,
    Measure,
    Name,
    Rubric,
    Veto,
    Zero,
)

# 完成目标值100%及以上得满分，90%至100%扣2分，80%以下不得分
completion = Binary("/", Binary("*", Constant(100), Name("value")), Name("target"))
bands = BandTable(
    "completion",
    Direction.LOWER_IS_WORSE,
    [
        Band(Interval(100, None, True, False), Full()),
        Band(Interval(90, 100, True, False), Deduct(2)),
        Band(Interval(None, 80, False, False), Zero()),
    ],
)
pass_rate = Item(
    "pass_rate",
    "产品质量合格率",
    points=10,
    rule=bands,
    inputs=[
        Input("value", "percent"),
        Input("target", "percent", Interval(0, 100, False), InputSource.TARGETS),
    ],
    measures=[Measure("completion", completion)],
)
planning = Item("planning", "质量发展规划", points=5, rule=Judged())
draft = Rubric(
    "质量工作考核",
    [pass_rate, planning],
    total=15,
    grades=GradeScale([Grade("A", 13, "优秀"), Grade("B", None, "合格")]),
    vetoes=[Veto("incident", "发生重大质量事件", grade="C")],
)

for problem in rubricdsl.validate(draft):
    print(problem.render())

# 80%至90%扣5分 was left out, and the veto names a grade the scale does not have.
eighty = Band(Interval(80, 90, True, False), Deduct(5))
mended_rate = attrs.evolve(
    pass_rate, rule=attrs.evolve(bands, bands=[*bands.bands[:2], eighty, bands.bands[2]])
)
mended = attrs.evolve(
    draft, children=[mended_rate, planning], vetoes=[attrs.evolve(draft.vetoes[0], grade="B")]
)
print("problems left:", rubricdsl.validate(mended))

round_data = {
    "targets": {"pass_rate": 96},
    "units": [
        {"id": "鄂城区", "values": {"pass_rate": 95}, "scores": {"planning": 4.5}},
        {"id": "华容区", "values": {"pass_rate": 80}, "scores": {"planning": 5}, "vetoes": ["incident"]},
    ],
}
for card in rubricdsl.score(mended, round_data):
    print(card.unit_id, card.reported_total, card.grade.name, card.grade.label)
