"""Learn the scorer's weights from the development part of the corpus: `python -m tracker.extraction.train`.

Every candidate the gate lets through in a development sitting is an example: positive when it overlaps
a labelled commitment, negative otherwise; candidates that only touch an "optional" sentence are left
out. A logistic regression over the named features and the word n-grams seen in at least
`MIN_NGRAM_COUNT` examples is fitted with scikit-learn (liblinear, deterministic), and written to
weights.json with the threshold: the highest at which cross-validated recall on the development part
(folds by sitting, so a sitting never scores itself) still reaches `TARGET_RECALL`. The held-out part is
never read here.

Needs scikit-learn (requirements-dev.txt); the application itself only reads the JSON.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections import Counter
from pathlib import Path

from .corpus import Sitting, load_corpus
from .evaluate import label_of, proposals_for
from .features import FEATURE_NAMES
from .ranking import Proposal
from .scorer import WEIGHTS_FILE, Weights, weights_from

TARGET_RECALL = 0.95
RECALL_SLACK = 0.02
MIN_NGRAM_COUNT = 3
C_VALUES = (0.1, 0.3, 1.0, 3.0)
FOLDS = 5
_NEUTRAL = Weights(0.0, {}, 0.0)  # features do not depend on the weights; any weights will do


def examples(
    sittings: list[Sitting], proposals: list[list[Proposal]]
) -> tuple[list[dict[str, float]], list[int], list[str], list[tuple]]:
    """(features, label, sitting id, (sitting index, proposal index)) of every gated candidate."""
    xs, ys, groups, keys = [], [], [], []
    for si, sitting in enumerate(sittings):
        for pi, proposal in enumerate(proposals[si]):
            verdict = label_of(proposal, sitting.labels)
            if verdict == "optional":
                continue
            xs.append(proposal.features)
            ys.append(1 if verdict == "commitment" else 0)
            groups.append(sitting.sitting)
            keys.append((si, pi))
    return xs, ys, groups, keys


def _vocabulary(xs: list[dict[str, float]]) -> list[str]:
    counts = Counter(name for x in xs for name in x if name.startswith(("w:", "b:")))
    kept = {name for name, n in counts.items() if n >= MIN_NGRAM_COUNT}
    named = {name for x in xs for name in x if not name.startswith(("w:", "b:"))} | set(FEATURE_NAMES)
    return sorted(kept | named)


def _restrict(xs: list[dict[str, float]], vocabulary: set[str]) -> list[dict[str, float]]:
    return [{k: v for k, v in x.items() if k in vocabulary} for x in xs]


def _recall_at(
    threshold: float, sittings: list[Sitting], proposals: list[list[Proposal]], probabilities: dict[tuple, float]
) -> float:
    """Recall over every labelled commitment of the sittings (missed by the gate too)."""
    gold = recalled = 0
    for si, sitting in enumerate(sittings):
        for label in sitting.commitments:
            gold += 1
            hits = [
                probabilities.get((si, pi), 0.0)
                for pi, p in enumerate(proposals[si])
                if p.candidate.speech_index == label.speech
                and p.candidate.start < label.end
                and label.start < p.candidate.end
            ]
            recalled += any(h >= threshold for h in hits)
    return recalled / gold if gold else 0.0


def _cv_probabilities(xs, ys, groups, c: float) -> list[float]:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold, cross_val_predict
    from sklearn.pipeline import make_pipeline

    model = make_pipeline(
        DictVectorizer(sort=True, sparse=False),
        LogisticRegression(C=c, solver="liblinear", class_weight="balanced", max_iter=1000, random_state=0),
    )
    folds = min(FOLDS, len(set(groups)))
    return list(cross_val_predict(model, xs, ys, groups=groups, cv=GroupKFold(folds), method="predict_proba")[:, 1])


def _threshold(sittings, proposals, keys, probabilities) -> tuple[float, float]:
    """The highest threshold (in steps of 0.01) whose cross-validated recall reaches TARGET_RECALL.

    When the gate itself misses more than 1 - TARGET_RECALL of the commitments, that recall cannot be
    reached at any threshold: then the target is the best reachable recall less RECALL_SLACK, so one
    stray commitment at a probability of 0.01 does not drag the threshold to zero."""
    by_key = dict(zip(keys, probabilities, strict=True))
    best_recall = _recall_at(0.0, sittings, proposals, by_key)
    target = TARGET_RECALL if best_recall >= TARGET_RECALL else best_recall - RECALL_SLACK
    for step in range(99, -1, -1):
        t = step / 100
        recall = _recall_at(t, sittings, proposals, by_key)
        if recall >= target:
            return t, recall
    return 0.0, best_recall


def _precision_at(threshold: float, ys: list[int], probabilities: list[float]) -> float:
    kept = [y for y, p in zip(ys, probabilities, strict=True) if p >= threshold]
    return sum(kept) / len(kept) if kept else 0.0


def train(sittings: list[Sitting]) -> dict:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    proposals = [proposals_for(sitting, _NEUTRAL) for sitting in sittings]
    xs, ys, groups, keys = examples(sittings, proposals)
    vocabulary = _vocabulary(xs)
    xs = _restrict(xs, set(vocabulary))
    trials = []
    for c in C_VALUES:
        probabilities = _cv_probabilities(xs, ys, groups, c)
        t, recall = _threshold(sittings, proposals, keys, probabilities)
        trials.append((_precision_at(t, ys, probabilities), recall, -c, c, t))
    precision, recall, _, c, threshold = max(trials)
    vectorizer = DictVectorizer(sort=True, sparse=False)
    matrix = vectorizer.fit_transform(xs)
    model = LogisticRegression(C=c, solver="liblinear", class_weight="balanced", max_iter=1000, random_state=0)
    model.fit(matrix, ys)
    weights = {
        name: round(float(w), 4)
        for name, w in zip(vectorizer.get_feature_names_out(), model.coef_[0], strict=True)
        if abs(w) >= 1e-4
    }
    digest = hashlib.sha256()
    for sitting in sittings:
        digest.update(sitting.path.read_bytes())
    return {
        "version": 1,
        "bias": round(float(model.intercept_[0]), 4),
        "threshold": threshold,
        "threshold_rule": (
            f"highest threshold with cross-validated development recall >= {TARGET_RECALL} "
            f"(or, when the gate cannot reach it, the best reachable recall - {RECALL_SLACK})"
        ),
        "training": {
            "sittings": len(sittings),
            "examples": len(ys),
            "positives": sum(ys),
            "C": c,
            "cv_recall_at_threshold": round(recall, 4),
            "cv_precision_at_threshold": round(precision, 4),
            "corpus_sha256": digest.hexdigest(),
            "min_ngram_count": MIN_NGRAM_COUNT,
        },
        "weights": dict(sorted(weights.items())),
    }


def dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Train the commitment scorer on the development part.")
    parser.add_argument("--output", type=Path, default=WEIGHTS_FILE)
    parser.add_argument("--check", action="store_true", help="exit 1 if the file differs from a fresh training")
    args = parser.parse_args(argv)
    data = train(load_corpus(part="dev"))
    weights_from(data)  # the file must load the way the application loads it
    text = dumps(data)
    if args.check:
        same = args.output.exists() and args.output.read_text(encoding="utf-8") == text
        print("weights are up to date" if same else f"{args.output} differs from a fresh training")
        return 0 if same else 1
    args.output.write_text(text, encoding="utf-8")
    t = data["training"]
    print(
        f"{t['examples']} examples ({t['positives']} commitments) from {t['sittings']} sittings; C={t['C']}; "
        f"threshold {data['threshold']}: cross-validated recall {t['cv_recall_at_threshold']}, "
        f"precision {t['cv_precision_at_threshold']}; {len(data['weights'])} weights → {args.output}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
