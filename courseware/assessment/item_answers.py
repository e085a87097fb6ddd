"""A submitted attempt's answers as rows, one per question on its paper: what item analysis counts.

Pure functions over the paper and the answer sheet (as stored on the attempt), so the submission,
an attempt stored already submitted, and the migration that filled the table all agree.
"""

from courseware.assessment import grading


def answer_rows(paper: list[dict], answers: dict[str, list[int]] | None) -> list[dict]:
    """{question, prompt, chosen, correct, wrong_choices} for each question of the paper.

    A question left blank is a row too (answered, and wrong unless its key is empty), as grading
    counts it. The texts of wrong choices are copied as this paper showed them: a later edit to
    post-test.yaml never changes what past attempts chose.
    """
    rows = []
    for question in paper:
        chosen = sorted(set(grading.chosen(question, answers)))
        texts = dict(question["choices"])
        wrong = [
            texts.get(index, f"Choice {index + 1}") for index in chosen if index not in question["answer"]
        ]
        rows.append(
            {
                "question": question["question"],
                "prompt": question.get("prompt") or "",
                "chosen": chosen,
                "correct": grading.is_correct(question, answers or {}),
                "wrong_choices": wrong,
            }
        )
    return rows
