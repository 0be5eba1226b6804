"""The corpus of real text, the learned scorer, the trainer and the evaluation (tracker/extraction).

The corpus itself is data (corpus/sittings); these tests check that it stays valid and split by
sitting, that the weights in the repository are what the training command produces from it, and that
the held-out figures meet the floor CI holds them to.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from tracker.extraction import corpus, evaluate
from tracker.extraction.detector import detect_in_speeches, propose_in_speeches
from tracker.extraction.features import FEATURE_NAMES, SentenceView, describe, gate
from tracker.extraction.scorer import WEIGHTS_FILE, Weights, load_weights, weights_from
from tracker.extraction.types import Speech

HELD_OUT_MIN_RECALL = 0.85  # the floor CI holds the held-out part to (issue: fail below 0.85)


def speech(index: int, role: str, text: str, name: str = "Peeters") -> Speech:
    return Speech(index, 0, name, name, name, role, text, index + 1)


def view(text: str, role: str = "minister", **kw) -> SentenceView:
    from tracker.extraction import detector as d

    low = text.lower()
    words = d._words(low)
    defaults = dict(
        low=low,
        words=words,
        role=role,
        position=0,
        count=1,
        open_request=lambda: False,
        rule="",
        rule_confidence=0.0,
        due_text="",
        event_bound=False,
        kinds=tuple(d._kinds(low, words, chair=role == "chair")),
    )
    defaults.update(kw)
    return SentenceView(**defaults)


# --------------------------------------------------------------------------------------------------
# The corpus
# --------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sittings():
    return corpus.load_corpus()


def test_every_corpus_file_is_valid_and_names_its_source(sittings):
    assert sittings, "the corpus of real text is empty"
    for s in sittings:
        assert s.source.get("url") or s.source.get("repository"), s.path
        assert s.source.get("licence"), f"{s.path}: no licence"
        assert s.labelled_by, s.path
        for label in s.labels:
            assert s.speeches[label.speech].text[label.start : label.end] == label.quote


def test_the_corpus_comes_from_three_families_at_least(sittings):
    with_commitments = {s.family for s in sittings if s.commitments}
    assert len({s.family for s in sittings}) >= 3
    assert len(with_commitments) >= 2, with_commitments


def test_the_split_is_by_sitting_and_decided_by_hash_order_alone(sittings):
    assert corpus.split_of("vp-1123961") == corpus.split_of("vp-1123961")
    assert corpus.split_of("parlamint-nl-x-full") == corpus.split_of("parlamint-nl-x")
    share = sum(corpus.split_of(f"sitting-{i}") == "heldout" for i in range(2000)) / 2000
    assert abs(share - corpus.HELD_OUT_PERCENT / 100) < 0.05
    again = {s.sitting: s.part for s in corpus.load_corpus()}
    for s in sittings:
        assert s.part == again[s.sitting]
        if s.forced_dev:
            assert s.part == "dev", s.sitting  # tuned on, or its errors were read: never held out
        elif not s.commitments:
            assert s.part == corpus.split_of(s.sitting)


def test_assign_parts_holds_out_commitments_in_hash_order(tmp_path):
    records = []
    for i in range(6):
        record = json.loads(json.dumps(GOOD))
        record["sitting"] = f"s-{i}"
        records.append(corpus.load_sitting(_write(tmp_path, record)))
    parts = corpus.assign_parts(records)
    held = [s for s in parts if s.part == "heldout"]
    first = sorted(records, key=lambda s: corpus._hash(s.sitting))[: len(held)]
    assert {s.sitting for s in held} == {s.sitting for s in first}
    assert len(held) == 3  # six sittings of one commitment each: held out until 35 % (2.1) is reached


def test_at_least_thirty_percent_of_the_commitments_are_held_out(sittings):
    total = sum(len(s.commitments) for s in sittings)
    held = sum(len(s.commitments) for s in sittings if s.part == "heldout")
    assert total and held / total >= 0.30, f"{held} of {total} commitments held out"


def _write(tmp_path: Path, record: dict) -> Path:
    path = tmp_path / "x.json"
    path.write_text(json.dumps(record), encoding="utf-8")
    return path


GOOD = {
    "sitting": "test-1",
    "family": "vlaams_parlement",
    "date": "2020-01-10",
    "source": {"url": "https://example.org/verslag/1", "licence": "public"},
    "labelled_by": "test",
    "speeches": [
        {"speaker": "De heer Peeters", "role": "member", "text": "Kunt u ons de lijst bezorgen?"},
        {"speaker": "Minister Crevits", "role": "minister", "text": "Ik bezorg u de lijst volgende week."},
    ],
    "labels": [
        {"speech": 1, "quote": "Ik bezorg u de lijst volgende week.", "label": "commitment", "kind": "send_document"}
    ],
}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: r["labels"][0].update(quote="Ik stuur u de lijst."), "geen letterlijk deel"),
        (
            lambda r: r["labels"][0].update(speech=0, quote="Kunt u ons de lijst bezorgen?"),
            "een toezegging in een speech met rol 'member'",
        ),
        (lambda r: r["labels"][0].update(speech=7), "speech 7 bestaat niet"),
        (lambda r: r["labels"][0].update(kind="brief"), "kind 'brief'"),
        (lambda r: r["labels"][0].pop("kind"), "zonder kind"),
        (lambda r: r.update(family="senaat"), "family 'senaat'"),
        (lambda r: r.update(source={}), "source noemt geen url"),
        (lambda r: r.update(date="10-01-2020"), "geen datum"),
        (lambda r: r["speeches"][1].update(role="spreker"), "role 'spreker'"),
        (lambda r: r["labels"][0].update(label="ja"), "label 'ja'"),
    ],
)
def test_a_bad_corpus_file_is_refused_with_file_record_and_reason(tmp_path, change, message):
    record = json.loads(json.dumps(GOOD))
    change(record)
    with pytest.raises(corpus.CorpusError, match=message) as info:
        corpus.load_sitting(_write(tmp_path, record))
    assert str(tmp_path / "x.json") in str(info.value)


def test_the_good_example_loads(tmp_path):
    s = corpus.load_sitting(_write(tmp_path, GOOD))
    assert s.date == date(2020, 1, 10) and len(s.commitments) == 1


def test_reserved_sittings_are_recognised_by_their_ids(tmp_path):
    reserved = (
        "- Tweede Kamer, Handelingen 2017–2018, vergadering 70 (all its parts, `h-tk-20172018-70-*`).\n"
        "- ParlaMint-NL sittings: 2021-06-09 tweedekamer-3, 2021-11-02\n  eerstekamer-5.\n"
        "- Eerste Kamer toezeggingen: T00476.\n- Vlaams Parlement verslagen with ids 364507, 571966.\n"
    )
    record = json.loads(json.dumps(GOOD))
    for source, hit in [
        ({"url": "https://www.vlaamsparlement.be/commissies/x/verslag/364507"}, "364507"),
        ({"url": "https://zoek.officielebekendmakingen.nl/h-tk-20172018-70-3.html"}, "h-tk-20172018-70"),
        ({"repository": "clarin-eric/ParlaMint", "path": "ParlaMint-NL_2021-11-02-eerstekamer-5.xml"}, None),
        ({"url": "https://www.eerstekamer.nl/toezegging/T00476"}, "T00476"),
    ]:
        record["source"] = source
        s = corpus.load_sitting(_write(tmp_path, record))
        hits = corpus.reserved_hits(s, reserved)
        assert hits, source
        if hit:
            assert hit in hits
    record["source"] = {"url": "https://zoek.officielebekendmakingen.nl/h-tk-20172018-700-3.html"}
    assert corpus.reserved_hits(corpus.load_sitting(_write(tmp_path, record)), reserved) == []


# --------------------------------------------------------------------------------------------------
# Features, gate and scorer
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "feature"),
    [
        ("Ik zal de Kamer voor de zomer een brief sturen.", "later_place"),
        ("Dat kan ik niet toezeggen.", "refusal"),
        ("We bekijken of we die cijfers kunnen bezorgen.", "hedge"),
        ("Ik heb u die lijst vorige week bezorgd.", "past"),
        ("Ik kom daar straks op terug.", "on_the_spot"),
        ("Ik zou u die lijst kunnen bezorgen als de diensten ze hebben.", "conditional"),
        ("Kunt u mij de lijst bezorgen?", "question"),
        ("Ik zeg u toe dat de evaluatie naar de commissie komt.", "toezeggen"),
    ],
)
def test_named_features_describe_the_category_of_phrasing(text, feature):
    assert feature in describe(view(text))


def test_the_gate_is_wide_but_not_everything():
    assert gate(view("Ik zal u die cijfers bezorgen."))
    assert gate(view("We gaan de commissie informeren zodra het rapport er is."))
    assert gate(view("Dat doen we.", open_request=lambda: True))
    assert not gate(view("Dat doen we.", open_request=lambda: False))
    assert not gate(view("Het weer was gisteren mooi in Brussel en omstreken, zoals iedereen weet."))
    assert not gate(view("Mevrouw Peeters heeft het woord.", role="chair"))


def test_probability_is_the_logistic_of_the_weighted_features():
    w = Weights(-1.0, {"a": 2.0, "b": -0.5}, 0.5)
    assert w.probability({}) == pytest.approx(1 / (1 + 2.718281828459045))
    assert w.probability({"a": 1.0}) == pytest.approx(0.7310585786)
    assert w.probability({"a": 1.0, "b": 1.0, "unknown": 1.0}) == pytest.approx(0.6224593312)
    assert w.strongest({"a": 1.0, "b": 1.0, "w:lijst": 1.0}) == ["a"]


def test_the_weights_file_loads_and_names_only_known_kinds_of_feature():
    weights = load_weights()
    assert 0 < weights.threshold < 1
    named = {name for name in weights.weights if ":" not in name}
    assert named <= set(FEATURE_NAMES), named - set(FEATURE_NAMES)


def test_the_threshold_decides_what_is_proposed():
    speeches = [
        speech(0, "member", "Minister, kunt u ons de lijst van de projecten bezorgen?", "Peeters"),
        speech(
            1, "minister", "Ik zal u de lijst van de projecten volgende week bezorgen. Het weer is mooi.", "Crevits"
        ),
    ]
    everything = detect_in_speeches(speeches, askers=("Peeters",), threshold=0.0)
    nothing = detect_in_speeches(speeches, askers=("Peeters",), threshold=1.0)
    assert nothing == []
    assert any("lijst" in c.quote for c in everything)
    proposals = propose_in_speeches(speeches, askers=("Peeters",), weights=load_weights())
    for p in proposals:
        assert p.candidate.confidence == pytest.approx(p.probability, abs=0.001)
        assert 0 <= p.probability <= 1


# --------------------------------------------------------------------------------------------------
# Training and evaluation
# --------------------------------------------------------------------------------------------------


def test_retraining_gives_the_weights_in_the_repository():
    from tracker.extraction import train

    fresh = train.dumps(train.train(corpus.load_corpus(part="dev")))
    assert fresh == WEIGHTS_FILE.read_text(encoding="utf-8"), (
        "weights.json is stale: python -m tracker.extraction.train"
    )
    weights_from(json.loads(fresh))


def test_the_trainer_reads_only_the_development_part():
    from tracker.extraction import train

    data = json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))
    dev = corpus.load_corpus(part="dev")
    assert data["training"]["sittings"] == len(dev)
    import hashlib

    digest = hashlib.sha256()
    for s in dev:
        digest.update(s.path.read_bytes())
    assert data["training"]["corpus_sha256"] == digest.hexdigest()
    assert train.TARGET_RECALL == 0.95


def test_matching_counts_overlap_in_the_same_speech_only(tmp_path):
    s = corpus.load_sitting(_write(tmp_path, GOOD))
    weights = Weights(0.0, {}, 0.5)  # every gated sentence at 0.5: proposed
    scores = evaluate.score_sitting(s, evaluate.proposals_for(s, weights), 0.5)
    assert (scores.gold, scores.recalled) == (1, 1)
    assert scores.precision == 1.0
    none = evaluate.score_sitting(s, evaluate.proposals_for(s, weights), 0.9)
    assert none.recalled == 0 and none.misses and "Ik bezorg u de lijst" in none.misses[0]


def test_held_out_recall_meets_the_floor(sittings):
    held = [s for s in sittings if s.part == "heldout"]
    scores = evaluate.evaluate(held, load_weights())
    total = scores[("heldout", "total")]
    print("\n".join(evaluate.report(scores, errors=False)))
    assert total.gold, "no commitments in the held-out part"
    assert total.recall >= HELD_OUT_MIN_RECALL, f"held-out recall {total.recall:.2f}"
