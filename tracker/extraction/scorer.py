"""Apply the learned weights: a logistic regression over named features and word n-grams, in plain Python.

The weights are learned from the corpus of real transcripts by `python -m tracker.extraction.train`
(scikit-learn, a development dependency only) and written to `weights.json` beside this module; the
application reads that file and needs neither numpy nor scikit-learn.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

WEIGHTS_FILE = Path(__file__).with_name("weights.json")


@dataclass(frozen=True, slots=True)
class Weights:
    bias: float
    weights: dict[str, float]
    threshold: float  # candidates scoring below it are not proposed

    def probability(self, features: dict[str, float]) -> float:
        z = self.bias + sum(self.weights.get(name, 0.0) * value for name, value in features.items())
        if z < -35:  # exp overflows far beyond any useful precision
            return 0.0
        return 1.0 / (1.0 + math.exp(-z))

    def strongest(self, features: dict[str, float], n: int = 3) -> list[str]:
        """The named features (not n-grams) that pushed the score up most: what `rule` tells clerks."""
        named = [(self.weights.get(f, 0.0), f) for f in features if ":" not in f or f.startswith(("rule:", "kind:"))]
        return [f for w, f in sorted(named, reverse=True)[:n] if w > 0]


# The hand-written rules alone, as the detector was before the scorer: a sentence is proposed exactly
# when a rule fired on it. The unit tests of the rules use it, and the evaluation prints it as the
# baseline the learned weights must beat.
RULES_ONLY = Weights(-2.0, {"rule_any": 4.0}, 0.5)


def weights_from(data: dict) -> Weights:
    return Weights(float(data["bias"]), {k: float(v) for k, v in data["weights"].items()}, float(data["threshold"]))


@lru_cache(maxsize=4)
def load_weights(path: Path = WEIGHTS_FILE) -> Weights:
    return weights_from(json.loads(path.read_text(encoding="utf-8")))
