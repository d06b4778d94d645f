"""Score Ezhou's 2013 round from Python and list every point lost."""

import rubricdsl

rubric = rubricdsl.load("quality2013.rub")
points = rubric.rounding.apply  # rounds an exact score as the rubric reports it
for card in rubricdsl.score_file(rubric, "round2013.json"):
    print(card.unit_id, card.reported_total, card.grade.name)
    for item_id, item in card.items.items():
        if item.deduction:
            print(f"  {item_id}: {points(item.score)} of {item.item.points} ({item.rule})")
