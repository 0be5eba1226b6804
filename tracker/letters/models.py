"""Letters (documents a minister sends) and the commitments they are proposed to fulfil.

Part of the tracker app (imported at the end of tracker/models.py); kept apart so the letters work can be
read, and merged, on its own.
"""

import contextlib
import datetime

from django.conf import settings
from django.db import models
from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# How each kind of evidence the scorer gives (matching.Reason.kind) reads to a clerk.
REASON_TEXTS = {
    "minister": _("same minister: %(detail)s"),
    "ministry": _("same ministry: %(detail)s"),
    "date": _("the passage names the date of the sitting: %(detail)s"),
    "date_elsewhere": _("the letter names the date of the sitting (%(detail)s), though not in this passage"),
    "deliverable": _("names the promised deliverable: %(detail)s"),
    "words": _("shared rare words: %(detail)s"),
}


def reason_text(reason: dict) -> str:
    """One stored reason in words, with its share of the score."""
    detail = reason.get("detail", "")
    if reason.get("kind") in ("date", "date_elsewhere"):
        with contextlib.suppress(ValueError):  # a hand-edited reason keeps its words
            detail = formats.date_format(datetime.date.fromisoformat(detail), "j F Y")
    template = REASON_TEXTS.get(reason.get("kind"), "%(detail)s")
    return gettext("%(text)s (+%(points).2f)") % {
        "text": template % {"detail": detail},
        "points": reason.get("points", 0),
    }


class Document(models.Model):
    title = models.CharField(_("title"), max_length=500)
    number = models.CharField(
        _("number"), max_length=100, blank=True, help_text=_("For example a kamerstuk number: 31322, nr. 123.")
    )
    date = models.DateField(_("date"), null=True, blank=True, help_text=_("The date of the letter."))
    sender = models.CharField(
        _("sender"),
        max_length=255,
        blank=True,
        help_text=_("As signed, e.g. 'De Minister van Financiën, W.B. Hoekstra'."),
    )
    source_url = models.URLField(_("source URL"), max_length=500, blank=True)
    text = models.TextField(_("text"))
    sha256 = models.CharField(
        _("fingerprint"), max_length=64, unique=True, help_text=_("SHA-256 of the text: one letter is stored once.")
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created = models.DateTimeField(_("imported"), auto_now_add=True)

    class Meta:
        app_label = "tracker"
        ordering = ["-date", "-created"]
        verbose_name = _("letter")
        verbose_name_plural = _("letters")

    def __str__(self):
        return f"{self.number} — {self.title}" if self.number else self.title

    @property
    def evidence_title(self) -> str:
        """How the letter is named as evidence of a fulfilled commitment."""
        return str(self)[:255]


class MatchState(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    CONFIRMED = "confirmed", _("confirmed")
    REJECTED = "rejected", _("rejected")


class LetterMatch(models.Model):
    """A commitment a letter is proposed to fulfil; a clerk confirms or rejects it, and a rejection
    stays so the same pair is never proposed again."""

    document = models.ForeignKey(Document, verbose_name=_("letter"), on_delete=models.CASCADE, related_name="matches")
    commitment = models.ForeignKey(
        "tracker.Commitment", verbose_name=_("commitment"), on_delete=models.CASCADE, related_name="letter_matches"
    )
    score = models.FloatField(_("score"))
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    passage = models.TextField(_("passage"), blank=True, help_text=_("The letter's words that refer to the promise."))
    state = models.CharField(_("state"), max_length=10, choices=MatchState.choices, default=MatchState.PROPOSED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        app_label = "tracker"
        ordering = ["document", "-score"]
        verbose_name = _("letter match")
        verbose_name_plural = _("letter matches")
        constraints = [
            models.UniqueConstraint(fields=["document", "commitment"], name="letter_match_unique"),
        ]
        indexes = [models.Index(fields=["commitment", "state"], name="letter_match_commitment")]

    def __str__(self):
        return f"{self.document} → {self.commitment}"

    @property
    def reason_texts(self) -> list[str]:
        return [reason_text(r) for r in self.reasons]
