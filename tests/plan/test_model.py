"""The objective: its weights are declared once, in backlib.plan.model, as its docstring says."""

from __future__ import annotations

import math
import re


def test_the_objective_in_the_model_docstring_uses_the_declared_weights():
    from backlib.plan import model

    doc = model.__doc__
    declared = dict(re.findall(r"^\s+([A-Z_]+) = ([0-9.]+)$", doc, flags=re.M))
    weights = {name for name in vars(model) if name.startswith(("W_", "RELEVANCE_"))}
    assert set(declared) == weights, "every weight is listed in the docstring, and only those"
    for name, value in declared.items():
        assert float(value) == getattr(model, name), name
    for name in weights:
        assert name in doc.split("The weights, as this module declares them")[0], name
    # The split threshold the docstring states follows from the weights.
    threshold = (model.W_ITEM / (model.W_TIME * (2 - math.sqrt(2)))) ** 2
    stated = float(re.search(r"about ([0-9.]+) minutes with these\s+weights", doc).group(1))
    assert abs(stated - threshold) < 0.05
