"""Highlighting commitments in a transcript: every commitment marked and linked, everything escaped."""

from tracker.public.presentation import Span, highlight


def test_each_span_is_marked_and_linked():
    html = highlight("Ik kom erop terug. Dat beloof ik.", [Span(0, 18, "TZ-1", "/t/1/"), Span(19, 33, "TZ-2", "/t/2/")])
    assert html == (
        '<mark><a href="/t/1/" id="TZ-1">Ik kom erop terug. <span class="tz-ref">[TZ-1]</span></a></mark> '
        '<mark><a href="/t/2/" id="TZ-2">Dat beloof ik. <span class="tz-ref">[TZ-2]</span></a></mark>'
    )


def test_commitments_with_the_same_or_overlapping_words_share_a_mark_with_a_link_each():
    same = highlight("Ik bezorg het rapport.", [Span(0, 22, "TZ-1", "/t/1/"), Span(0, 22, "TZ-2", "/t/2/")])
    assert same.count("<mark>") == 1 and 'id="TZ-1"' in same and 'id="TZ-2"' in same
    text = "Overlap start hier en loopt door tot daar. Rest."
    overlap = highlight(text, [Span(0, 32, "A", "/a/"), Span(22, 42, "B", "/b/")])
    assert overlap.count("<mark>") == 1 and 'href="/a/"' in overlap and 'href="/b/"' in overlap
    assert overlap.endswith("</mark> Rest.")  # every word once: nothing repeated or lost
    assert overlap.count("loopt door") == 1


def test_text_and_labels_are_escaped():
    html = highlight('<script>alert("x")</script> & meer', [Span(0, 8, '"><img>', '/t/"x/')])
    assert "<script>" not in html and "&lt;script&gt;" in html and "&amp; meer" in html
    assert "<img>" not in html and 'href="/t/&quot;x/"' in html
