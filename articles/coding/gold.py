"""The gold set: annotations adjudication produced (each has a GoldDecision)."""


def gold_only(annotations):
    return annotations.filter(gold__isnull=False)
