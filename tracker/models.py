"""The register's data: fields, constraints and querysets. Writes go through services (workflow.py,
services.py, importing.py), never through save() overrides or signals."""

import datetime
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

parliamentary_year_validator = RegexValidator(r"^\d{4}-\d{4}$", _("Use the form 2020-2021."))


class SlugManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Committee(models.Model):
    name = models.CharField(_("name"), max_length=255, help_text=_("The committee's official name."))
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        unique=True,
        help_text=_("Short stable identifier used in addresses and fixtures; do not change it once published."),
    )

    clerks = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible clerks"),
        blank=True,
        related_name="committees",
        help_text=_("They receive the reminders about this committee's commitments."),
    )

    objects = SlugManager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("committee")
        verbose_name_plural = _("committees")

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


class Honorific(models.TextChoices):
    MEVROUW = "Mevrouw", _("Mrs")
    DE_HEER = "De heer", _("Mr")


class PersonQuerySet(models.QuerySet):
    def public(self):
        """Persons the public may see: those who speak, ask or answer in a public sitting, or who made or
        received a public commitment. A person an import created stays out of sight until then."""
        return self.filter(
            Exists(Commitment.objects.public().filter(promised_by=OuterRef("pk")))
            | Exists(Commitment.objects.public().filter(promised_to=OuterRef("pk")))
            | Exists(Speech.objects.filter(public_sitting("question__session"), speaker=OuterRef("pk")))
            | Exists(Question.objects.filter(public_sitting("session"), asked_by=OuterRef("pk")))
            | Exists(Question.objects.filter(public_sitting("session"), addressed_to=OuterRef("pk")))
        )


class PersonManager(SlugManager.from_queryset(PersonQuerySet)):
    pass


class Person(models.Model):
    full_name = models.CharField(
        _("full name"),
        max_length=255,
        help_text=_("The name as the sources give it. Do not add a first name or party a source does not state."),
    )
    surname = models.CharField(_("surname"), max_length=150, help_text=_("Including particles: 'Van den Brandt'."))
    first_name = models.CharField(
        _("first name"),
        max_length=100,
        blank=True,
        help_text=_("Only when a source states it (open data: voornaam), e.g. 'Mark'."),
    )
    initials = models.CharField(
        _("initials"),
        max_length=30,
        blank=True,
        help_text=_("As a source prints them (open data: initialen), e.g. 'M.'."),
    )
    title = models.CharField(
        _("title"),
        max_length=100,
        blank=True,
        help_text=_("Academic or other title as a source gives it (open data: titulatuur), e.g. 'drs.'."),
    )
    suffix = models.CharField(
        _("name suffix"),
        max_length=30,
        blank=True,
        help_text=_("What follows the surname in a source (open data: achtervoegsel), e.g. 'MBA'."),
    )
    honorific = models.CharField(
        _("honorific"),
        max_length=10,
        choices=Honorific.choices,
        blank=True,
        help_text=_("Mevrouw / De heer, as the transcript addresses the person."),
    )
    party = models.CharField(_("party"), max_length=100, blank=True, help_text=_("Only when a source states it."))
    slug = models.SlugField(_("slug"), max_length=150, unique=True)
    tk_id = models.CharField(
        _("open-data id"),
        max_length=36,
        blank=True,
        help_text=_(
            "The person's id in the Tweede Kamer's open data (or in the open-data file the person was first "
            "imported from). Imports match persons by this id before their name; leave empty when unknown."
        ),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
        help_text=_("The member's login, for 'My commitments' and following."),
    )

    objects = PersonManager()

    class Meta:
        ordering = ["surname", "full_name"]
        constraints = [
            # One person per open-data id: two people with the same name stay two.
            models.UniqueConstraint(fields=["tk_id"], condition=~Q(tk_id=""), name="person_tk_id_unique"),
        ]
        permissions = [
            ("import_person", _("Can import persons from spreadsheets")),
            ("export_person", _("Can export persons to spreadsheets")),
        ]
        verbose_name = _("person")
        verbose_name_plural = _("persons")

    def __str__(self):
        return f"{self.full_name} ({self.party})" if self.party else self.full_name

    def natural_key(self):
        return (self.slug,)


class SessionKind(models.TextChoices):
    COMMITTEE = "committee", _("committee meeting")
    PLENARY = "plenary", _("plenary sitting")


def public_sitting(path: str = "") -> Q:
    """The condition "the sitting (at `path` from the filtered model, e.g. "question__session") is public": a
    clerk has reviewed it, or it holds a registered (public) commitment.

    Registering one is a clerk's look at the sitting (and marks it so); sittings written in bulk (fixtures, open
    data) with registered commitments must not leave those commitments pointing at a missing page. Written as
    a join and an EXISTS on the row's own sitting, so a single person or sitting costs a few index probes.
    """
    registered = Commitment.objects.public().filter(question__session=OuterRef(path or "pk"))
    return Q(**{f"{path}__reviewed_at__isnull" if path else "reviewed_at__isnull": False}) | Exists(registered)


class SessionQuerySet(models.QuerySet):
    def public(self):
        """The only way public code reaches sittings: those a clerk has reviewed (see public_sitting)."""
        return self.filter(public_sitting())


class SessionManager(SlugManager.from_queryset(SessionQuerySet)):
    pass


class Session(models.Model):
    """A sitting (vergadering) of a committee or the plenary; not a login session."""

    slug = models.SlugField(
        _("slug"),
        max_length=150,
        unique=True,
        help_text=_("Stable identifier of the sitting, used in addresses and fixtures."),
    )
    committee = models.ForeignKey(
        Committee,
        verbose_name=_("committee"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sessions",
        help_text=_("Empty for a plenary sitting."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=SessionKind.choices, default=SessionKind.COMMITTEE)
    date = models.DateField(
        _("date"),
        null=True,
        blank=True,
        help_text=_("Leave empty when the transcript does not give the date; never guess one."),
    )
    title = models.CharField(_("title"), max_length=500)
    parliamentary_year = models.CharField(
        _("parliamentary year"),
        max_length=9,
        blank=True,
        validators=[parliamentary_year_validator],
        help_text=_("For example 2020-2021. Leave empty when unknown."),
    )
    source_url = models.URLField(_("source URL"), max_length=500, blank=True)
    source_text = models.TextField(
        _("source text"), blank=True, help_text=_("The transcript exactly as it was imported.")
    )
    source_sha256 = models.CharField(
        _("SHA-256 of the source text"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_("Recognises a transcript that was already imported."),
    )
    note = models.TextField(_("note"), blank=True, help_text=_("For example: held by videoconference."))
    source_key = models.CharField(
        _("source identity"),
        max_length=150,
        blank=True,
        db_index=True,
        editable=False,
        help_text=_(
            "Recognises another text of a sitting that was already imported (its address, or committee, "
            "date and first item)."
        ),
    )
    reviewed_at = models.DateTimeField(
        _("reviewed at"),
        null=True,
        blank=True,
        help_text=_(
            "When a clerk checked the imported sitting. Until then the sitting, its speeches and the persons "
            "it introduced are not public. Registering one of its proposals also marks it reviewed."
        ),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The clerk who marked the sitting reviewed; empty for sittings reviewed before this was kept."),
    )

    objects = SessionManager()

    class Meta:
        ordering = [models.F("date").desc(nulls_last=True), "title"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        permissions = [("review_session", _("Can mark a sitting reviewed (published)"))]
        constraints = [
            models.UniqueConstraint(
                fields=["source_sha256"], condition=~Q(source_sha256=""), name="session_source_sha256_unique"
            ),
            models.CheckConstraint(
                condition=Q(kind="plenary") | Q(committee__isnull=False), name="session_committee_unless_plenary"
            ),
        ]
        # A committee's latest sittings (its page): read in order from here, not all of them sorted.
        indexes = [models.Index(fields=["committee", "-date", "id"], name="session_committee_recent")]

    def __str__(self):
        return f"{self.title} ({self.date:%d-%m-%Y})" if self.date else self.title

    def natural_key(self):
        return (self.slug,)

    @property
    def is_reviewed(self):
        return self.reviewed_at is not None


class QuestionKind(models.TextChoices):
    VRAAG_OM_UITLEG = "vraag_om_uitleg", _("request for explanation")
    INTERPELLATIE = "interpellatie", _("interpellation")
    ACTUELE_VRAAG = "actuele_vraag", _("topical question")
    GEDACHTEWISSELING = "gedachtewisseling", _("exchange of views")
    OTHER = "other", _("other")


class QuestionManager(models.Manager):
    def get_by_natural_key(self, session_slug, position):
        return self.get(session__slug=session_slug, position=position)


class Question(models.Model):
    """An agenda item of a sitting."""

    session = models.ForeignKey(Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(_("position"), help_text=_("Order of the item in the sitting, from 1."))
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionKind.choices, default=QuestionKind.OTHER)
    number = models.CharField(_("number"), max_length=50, blank=True, help_text=_("For example 2229 (2016-2017)."))
    title = models.CharField(_("title"), max_length=500)
    asked_by = models.ManyToManyField(
        Person,
        verbose_name=_("asked by"),
        blank=True,
        related_name="questions_asked",
        help_text=_("The first asker and the members who joined the question."),
    )
    addressed_to = models.ForeignKey(
        Person,
        verbose_name=_("addressed to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="questions_received",
        help_text=_("The minister the question is put to."),
    )

    objects = QuestionManager()

    class Meta:
        ordering = ["session", "position"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [models.UniqueConstraint(fields=["session", "position"], name="question_position_unique")]

    def __str__(self):
        return f"{self.number} {self.title}".strip() if self.number else self.title

    def natural_key(self):
        return (*self.session.natural_key(), self.position)

    natural_key.dependencies = ["tracker.session"]


class SpeakerRole(models.TextChoices):
    CHAIR = "chair", _("chair")
    MEMBER = "member", _("member")
    MINISTER = "minister", _("minister")
    OTHER = "other", _("other")


class SpeechManager(models.Manager):
    def get_by_natural_key(self, session_slug, position, sequence):
        return self.get(question__session__slug=session_slug, question__position=position, sequence=sequence)


class Speech(models.Model):
    """One speaker's turn (tussenkomst) within an agenda item."""

    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="speeches"
    )
    sequence = models.PositiveIntegerField(_("sequence"), help_text=_("Order of the turn within the item, from 1."))
    speaker = models.ForeignKey(
        Person,
        verbose_name=_("speaker"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="speeches",
        help_text=_("Empty when the speaker cannot be identified, for example an unnamed chair."),
    )
    speaker_label = models.CharField(
        _("speaker as printed"), max_length=255, help_text=_("The name exactly as the transcript prints it.")
    )
    speaker_role = models.CharField(_("role"), max_length=10, choices=SpeakerRole.choices)
    text = models.TextField(_("text"))

    objects = SpeechManager()

    class Meta:
        ordering = ["question", "sequence"]
        verbose_name = _("speech")
        verbose_name_plural = _("speeches")
        constraints = [models.UniqueConstraint(fields=["question", "sequence"], name="speech_sequence_unique")]

    def __str__(self):
        return f"{self.sequence}. {self.speaker_label}"

    def natural_key(self):
        return (*self.question.natural_key(), self.sequence)

    natural_key.dependencies = ["tracker.question"]


class Status(models.TextChoices):
    CANDIDATE = "candidate", _("proposed")
    REJECTED = "rejected", _("rejected")
    OPEN = "open", _("open")
    PARTIALLY_FULFILLED = "partially_fulfilled", _("partially fulfilled")
    FULFILLED = "fulfilled", _("fulfilled")
    LAPSED = "lapsed", _("lapsed")


INTERNAL_STATUSES = (Status.CANDIDATE, Status.REJECTED)
PENDING_STATUSES = (Status.OPEN, Status.PARTIALLY_FULFILLED)


class CommitmentKind(models.TextChoices):
    SEND_DOCUMENT = "send_document", _("send a document")
    REPORT_BACK = "report_back", _("report back")
    HEARING = "hearing", _("hearing")
    AGENDA = "agenda", _("put on the agenda")
    PUBLISH = "publish", _("publish")
    EVALUATE = "evaluate", _("evaluate")
    OTHER = "other", _("other")


class Origin(models.TextChoices):
    EXTRACTED = "extracted", _("extracted from a transcript")
    MANUAL = "manual", _("entered by hand")
    IMPORTED = "imported", _("imported")


class CommitmentQuerySet(models.QuerySet):
    def public(self):
        """The only way public code reaches commitments: candidates and rejected items are internal."""
        return self.exclude(status__in=INTERNAL_STATUSES)

    def pending(self):
        return self.filter(status__in=PENDING_STATUSES)

    def in_sessions(self, **lookups):
        """Commitments from sittings matching lookups (committee=…, parliamentary_year=…).

        Written as EXISTS on the commitment's own question, not as a join: the database can then walk
        the index of the requested order and stop after one page, where a join makes SQLite collect
        and sort all of a committee's commitments first.
        """
        questions = Question.objects.filter(
            pk=OuterRef("question_id"), **{f"session__{k}": v for k, v in lookups.items()}
        )
        return self.filter(Exists(questions))

    def by_minister(self, person):
        """Promised by the minister, and the committee's own promises (no promiser) on the minister's items.

        A hearing the committee agrees to during a minister's question ("Dat doen we zeker.") belongs to
        that minister's dossier, though the minister did not make it.
        """
        on_item = Question.objects.filter(pk=OuterRef("question_id"), addressed_to=person)
        return self.filter(Q(promised_by=person) | Q(promised_by__isnull=True) & Exists(on_item))

    def concerning_member(self, person):
        """Promised to the member or arising from their questions.

        One UNION of two indexed lookups, matched on the primary key: the database fetches just the
        member's commitments. OR-ed conditions instead leave PostgreSQL guessing how many rows match, and
        for a member with few commitments it then walks the whole register in date order to find them.
        """
        promised = Commitment.promised_to.through.objects.filter(person=person).values("commitment_id")
        asked = Commitment.objects.filter(
            question_id__in=Question.asked_by.through.objects.filter(person=person).values("question_id")
        ).values("pk")
        return self.filter(pk__in=promised.union(asked))

    def overdue(self, *, on: datetime.date | None = None):
        from tracker.register import rules  # rules builds on this module's statuses

        return self.filter(rules.overdue_q(on=on))

    def due_within(self, *, days: int | None = None, on: datetime.date | None = None):
        """Pending and due within `days` (default: the due-soon setting) from `on` (today)."""
        from tracker.register import rules

        return self.filter(rules.due_within_q(days=days, on=on))


class CommitmentManager(models.Manager.from_queryset(CommitmentQuerySet)):
    def get_by_natural_key(self, reference):
        return self.get(reference=reference)


class Commitment(models.Model):
    reference = models.CharField(
        _("reference"),
        max_length=30,
        unique=True,
        help_text=_("Human-readable number such as TZ-2021-0007; assigned when the commitment is created."),
    )
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.PROTECT, related_name="commitments"
    )
    source_speech = models.ForeignKey(
        Speech,
        verbose_name=_("source speech"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="commitments",
        help_text=_("The speech in which the words were spoken."),
    )
    quote = models.TextField(_("quote"), help_text=_("The words as spoken, verbatim. Never paraphrase here."))
    summary = models.TextField(
        _("summary"),
        blank=True,
        help_text=_("The clerk's sentence: 'De minister zegt de commissie toe …'."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=CommitmentKind.choices, default=CommitmentKind.OTHER)
    promised_by = models.ForeignKey(
        Person,
        verbose_name=_("promised by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="commitments_made",
        help_text=_("The minister (or chair) who made the promise."),
    )
    promised_by_function = models.CharField(
        _("function at the time"),
        max_length=255,
        blank=True,
        help_text=_("The promiser's function as it was then, e.g. 'Vlaams minister van Werk'."),
    )
    ministry = models.CharField(
        _("ministry"),
        max_length=255,
        blank=True,
        help_text=_(
            "The ministry or department responsible, e.g. 'Financiën' (open data: ministerie). Empty when unknown."
        ),
    )
    promised_to = models.ManyToManyField(
        Person,
        verbose_name=_("promised to"),
        blank=True,
        related_name="commitments_received",
        help_text=_("The members the promise was made to."),
    )
    to_committee = models.BooleanField(
        _("to the committee"), default=False, help_text=_("The promise was made to the committee as a whole.")
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    due_is_default = models.BooleanField(
        _("standard deadline"),
        default=False,
        help_text=_("The words gave no deadline, so the standard term after the session applies."),
    )
    due_text = models.CharField(
        _("deadline as spoken"),
        max_length=255,
        blank=True,
        help_text=_("The words used, e.g. 'zodra die studie is opgeleverd'."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.CANDIDATE)
    fulfilled_on = models.DateField(_("fulfilled on"), null=True, blank=True)
    origin = models.CharField(_("origin"), max_length=10, choices=Origin.choices, default=Origin.MANUAL)
    tk_id = models.CharField(
        _("open-data id"),
        max_length=36,
        blank=True,
        help_text=_("The id of this commitment in the Tweede Kamer's open data (toezegging/@id); set by the import."),
    )
    tk_updated = models.DateTimeField(
        _("open-data version"),
        null=True,
        blank=True,
        help_text=_("Open data: when the Tweede Kamer last changed this record (bijgewerkt); older pages skip it."),
    )
    tk_activity_id = models.CharField(
        _("activity id"),
        max_length=36,
        blank=True,
        help_text=_("Open data: the id of the activity (the debate) in which the promise was made."),
    )
    tk_activity_number = models.CharField(
        _("activity number"),
        max_length=30,
        blank=True,
        help_text=_("Open data: the number of that activity, e.g. 2024A01234 (activiteitNummer)."),
    )
    promised_to_party = models.CharField(
        _("promised to party"),
        max_length=100,
        blank=True,
        help_text=_("Open data: the party the promise was made to (toegezegdAanFractie), its name when known."),
    )
    tk_party_id = models.CharField(
        _("party id"),
        max_length=36,
        blank=True,
        help_text=_("Open data: the id of that party (toegezegdAanFractie/@ref)."),
    )
    confidence = models.FloatField(
        _("confidence"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text=_("How sure the automatic detection was (0–1); empty for commitments entered by hand."),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    objects = CommitmentManager()

    class Meta:
        ordering = ["-created", "reference"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=Status.FULFILLED) | Q(fulfilled_on__isnull=False),
                name="commitment_fulfilled_needs_date",
                violation_error_message=_("A fulfilled commitment needs a fulfilment date."),
            ),
            models.CheckConstraint(
                condition=~Q(quote=""),
                name="commitment_quote_not_empty",
                violation_error_message=_("The quote cannot be empty."),
            ),
            models.CheckConstraint(
                condition=Q(confidence__isnull=True) | Q(confidence__gte=0, confidence__lte=1),
                name="commitment_confidence_range",
            ),
            # The import finds a commitment by its open-data id first (a withdrawal names only the id).
            models.UniqueConstraint(fields=["tk_id"], condition=~Q(tk_id=""), name="commitment_tk_id_unique"),
        ]
        indexes = [
            models.Index(fields=["status", "due_date"]),
            models.Index(fields=["-created", "-id"], name="commitment_recent"),
            # One status, newest first: without it SQLite took the status index and sorted every match.
            models.Index(fields=["status", "-created", "-id"], name="commitment_status_recent"),
            models.Index(fields=["due_date", "reference"], name="commitment_due"),
            models.Index(fields=["-updated"], name="commitment_updated"),
            models.Index(fields=["promised_by", "-created"], name="commitment_by_promiser"),
            # A promiser's pending commitments not yet due: the live part of the overdue figure (figures.py).
            models.Index(fields=["promised_by", "status", "due_date"], name="commitment_promiser_due"),
            # The search box also finds a commitment by its reference, typed in any case.
            models.Index(Upper("reference"), name="commitment_reference_upper"),
            models.Index(fields=["tk_activity_id"], name="commitment_tk_activity"),
        ]
        permissions = [
            ("change_commitment_status", _("Can change the status of a commitment")),
            ("import_commitment", _("Can import commitments from spreadsheets")),
            ("export_commitment", _("Can export commitments to spreadsheets")),
        ]

    def __str__(self):
        return self.reference

    def natural_key(self):
        return (self.reference,)

    @property
    def is_public(self):
        return self.status not in INTERNAL_STATUSES

    def is_overdue(self, *, on: datetime.date | None = None):
        from tracker.register import rules

        return rules.is_overdue(self, on=on)

    @property
    def overdue(self) -> bool:
        """Overdue today (in the register's time zone); the same rule as the queryset's overdue()."""
        return self.is_overdue()

    @property
    def promiser_name(self) -> str:
        """Who made the promise, as pages, feeds, exports and messages name them (rules.promiser_name)."""
        from tracker.register import rules

        return rules.promiser_name(self)


class EventKind(models.TextChoices):
    CREATED = "created", _("created")
    TRANSITION = "transition", _("status change")
    DUE_DATE = "due_date", _("deadline change")
    EDIT = "edit", _("edit")
    NOTE = "note", _("note")


class CommitmentEventManager(models.Manager):
    def get_by_natural_key(self, uid):
        return self.get(uid=uid)


class CommitmentEvent(models.Model):
    """Append-only history of a commitment: who did what, when, from which status to which, and why."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    commitment = models.ForeignKey(
        Commitment, verbose_name=_("commitment"), on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty for changes made by the system."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    from_status = models.CharField(_("from status"), max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to status"), max_length=20, choices=Status.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    evidence_title = models.CharField(
        _("evidence title"), max_length=500, blank=True, help_text=_("Title or number of the fulfilling document.")
    )
    evidence_url = models.URLField(_("evidence URL"), max_length=500, blank=True)
    old_due_date = models.DateField(_("old deadline"), null=True, blank=True)
    new_due_date = models.DateField(_("new deadline"), null=True, blank=True)

    objects = CommitmentEventManager()

    class Meta:
        ordering = ["commitment", "at", "pk"]
        indexes = [models.Index(fields=["-at", "-id"], name="event_recent")]
        verbose_name = _("history event")
        verbose_name_plural = _("history")

    def __str__(self):
        return f"{self.commitment_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"

    def natural_key(self):
        return (str(self.uid),)


class LinkKind(models.TextChoices):
    REPEATS = "repeats", _("repeats")
    SUPPLEMENTS = "supplements", _("supplements")
    AMENDS = "amends", _("amends")


class CommitmentLinkManager(models.Manager):
    def get_by_natural_key(self, source_reference, kind, target_reference):
        return self.get(source__reference=source_reference, kind=kind, target__reference=target_reference)


class CommitmentLink(models.Model):
    """A relation between commitments, as the Tweede Kamer register keeps them: A repeats/supplements/amends B."""

    source = models.ForeignKey(
        Commitment, verbose_name=_("commitment"), on_delete=models.CASCADE, related_name="links_out"
    )
    kind = models.CharField(_("relation"), max_length=20, choices=LinkKind.choices)
    target = models.ForeignKey(
        Commitment, verbose_name=_("related commitment"), on_delete=models.CASCADE, related_name="links_in"
    )

    objects = CommitmentLinkManager()

    class Meta:
        verbose_name = _("related commitment")
        verbose_name_plural = _("related commitments")
        constraints = [
            models.UniqueConstraint(fields=["source", "kind", "target"], name="commitment_link_unique"),
            models.CheckConstraint(condition=~Q(source=models.F("target")), name="commitment_link_not_self"),
        ]

    def __str__(self):
        return f"{self.source} {self.get_kind_display()} {self.target}"

    def natural_key(self):
        return (*self.source.natural_key(), self.kind, *self.target.natural_key())

    natural_key.dependencies = ["tracker.commitment"]


class TallyDumpManager(models.Manager):
    """The default manager, which dumpdata reads: empty. The tally is derived from the commitments, and
    loading a dumped tally next to the commitments, whose triggers rebuild it, would count them twice."""

    def get_queryset(self):
        return super().get_queryset().none()


class CommitmentTally(models.Model):
    """How many public commitments a committee (or a promiser) holds, per status: the figures of its page.

    Kept current by database triggers (tracker/register/figures.py) on every write to commitments, questions and
    sittings, bulk loads included, so a page reads a few rows instead of counting its whole history.
    Never written by application code; `manage.py refresh_figures` recomputes it from the commitments.
    """

    committee = models.ForeignKey(
        Committee, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("committee")
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("promised by")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    dated = models.BooleanField(_("has a deadline"), help_text=_("The commitments counted here have a due date."))
    days = models.IntegerField(
        _("days to fulfil"),
        default=0,
        help_text=_("Fulfilled commitments: days from the sitting (or registration) to fulfilment; else 0."),
    )
    n = models.IntegerField(_("number"), default=0)

    rows = models.Manager()  # what the pages read
    objects = TallyDumpManager()

    class Meta:
        default_manager_name = "objects"
        verbose_name = _("tally")
        verbose_name_plural = _("tallies")
        constraints = [
            models.CheckConstraint(
                condition=Q(committee__isnull=False, person__isnull=True)
                | Q(committee__isnull=True, person__isnull=False),
                name="tally_committee_or_person",
            ),
            models.UniqueConstraint(
                fields=["committee", "status", "dated", "days"],
                condition=Q(committee__isnull=False),
                name="tally_committee_key",
            ),
            models.UniqueConstraint(
                fields=["person", "status", "dated", "days"], condition=Q(person__isnull=False), name="tally_person_key"
            ),
        ]

    def __str__(self):
        return f"{self.committee_id or self.person_id} {self.status} {self.n}"


class ReviewManager(CommitmentManager):
    def get_queryset(self):
        return super().get_queryset().filter(status=Status.CANDIDATE)


class ReviewItem(Commitment):
    """The clerks' review queue ("Te beoordelen"): proposed commitments waiting for a decision."""

    objects = ReviewManager()

    class Meta:
        proxy = True
        verbose_name = _("proposal to review")
        verbose_name_plural = _("to review")


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", _("due soon")
    OVERDUE = "overdue", _("overdue")


class Reminder(models.Model):
    """A reminder that was sent: never sent twice for the same commitment, kind and deadline."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(_("kind"), max_length=10, choices=ReminderKind.choices)
    due_date = models.DateField(_("due date"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    recipients = models.TextField(_("recipients"), blank=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(fields=["commitment", "kind", "due_date"], name="reminder_once_per_deadline")
        ]

    def __str__(self):
        return f"{self.commitment} {self.kind} {self.due_date}"


class Follow(models.Model):
    """A user follows one commitment or a whole filtered list, and gets an e-mail on each public status change."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows")
    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("commitment"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="followers",
    )
    query = models.CharField(
        _("filter"), max_length=1000, blank=True, help_text=_("The list filter (query string) that is followed.")
    )
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "commitment"], condition=Q(commitment__isnull=False), name="follow_commitment_once"
            ),
            models.UniqueConstraint(
                fields=["user", "query"], condition=Q(commitment__isnull=True), name="follow_filter_once"
            ),
            models.CheckConstraint(
                condition=Q(commitment__isnull=False, query="") | Q(commitment__isnull=True) & ~Q(query=""),
                name="follow_commitment_or_filter",
            ),
        ]

    def __str__(self):
        return f"{self.user} → {self.commitment or self.query}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("waiting")
    SENDING = "sending", _("being sent")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")


class Notification(models.Model):
    """One e-mail to one follower about one status change.

    Written before the message goes out and claimed by one worker at a time, so a task that runs twice
    (a retry, a second worker, a clerk's retry) never mails anyone twice for the same change.
    """

    event = models.ForeignKey(
        CommitmentEvent, verbose_name=_("change"), on_delete=models.CASCADE, related_name="notifications"
    )
    recipient = models.EmailField(_("recipient"))
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(
        _("attempts"), default=0, help_text=_("How often sending this e-mail was tried.")
    )
    error = models.TextField(
        _("error"), blank=True, help_text=_("Why the last attempt failed, as the mail server said.")
    )
    claim = models.UUIDField(null=True, editable=False)
    updated = models.DateTimeField(_("updated"), default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification e-mail")
        verbose_name_plural = _("notification e-mails")
        permissions = [("retry_notification", _("Can send failed notification e-mails again"))]
        constraints = [models.UniqueConstraint(fields=["event", "recipient"], name="notification_once_per_change")]

    def __str__(self):
        return f"{self.recipient} ({self.get_status_display()})"


class ImportBatch(models.Model):
    """Many transcripts uploaded together; each file is imported by its own task (tracker.exchange.batch_import)."""

    name = models.CharField(
        _("name"),
        max_length=255,
        blank=True,
        help_text=_("What was uploaded: the ZIP file's name or the number of files."),
    )
    committee = models.ForeignKey(
        Committee,
        verbose_name=_("committee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text=_("The committee every file of the batch belongs to; empty: each transcript names its own."),
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The clerk who uploaded the files; empty for an import from the command line."),
    )
    created = models.DateTimeField(_("started"), auto_now_add=True)

    class Meta:
        verbose_name = _("transcript batch")
        verbose_name_plural = _("transcript batches")
        ordering = ["-created", "-id"]

    def __str__(self):
        return self.name or f"#{self.pk}"


class ImportBatchFile(models.Model):
    """One file of a batch: its bytes (so a worker on any machine can read it) and what became of it."""

    class State(models.TextChoices):
        QUEUED = "queued", _("waiting")
        DONE = "done", pgettext_lazy("batch file", "imported")
        UNCHANGED = "unchanged", _("already imported")
        FAILED = "failed", _("failed")

    batch = models.ForeignKey(ImportBatch, verbose_name=_("batch"), on_delete=models.CASCADE, related_name="files")
    position = models.PositiveIntegerField(_("position"), help_text=_("Order of the file in the upload."))
    name = models.CharField(_("file name"), max_length=255, help_text=_("The file's name as uploaded."))
    data = models.BinaryField(
        _("content"), blank=True, help_text=_("The file as uploaded; read by the worker that imports it.")
    )
    state = models.CharField(
        _("status"),
        max_length=10,
        choices=State.choices,
        default=State.QUEUED,
        help_text=_("Waiting, imported, already imported (same text), or failed (see the reason)."),
    )
    error = models.TextField(
        _("reason"), blank=True, help_text=_("Why the file was not imported; nothing of it was written.")
    )
    warnings = models.TextField(_("warnings"), blank=True, help_text=_("Remarks of the reader, one per line."))
    session = models.ForeignKey(
        Session,
        verbose_name=_("sitting"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The sitting the file was imported as."),
    )
    proposals = models.PositiveIntegerField(
        _("proposals"), default=0, help_text=_("Commitments proposed by the detector in this file.")
    )
    finished = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("batch file")
        verbose_name_plural = _("batch files")
        ordering = ["batch", "position"]
        constraints = [models.UniqueConstraint(fields=["batch", "position"], name="batch_file_position_once")]
        indexes = [models.Index(fields=["batch", "state"], name="batch_file_state")]

    def __str__(self):
        return self.name


# Letters and their matches live in their own module (issue #15); imported here so the app registers them.
from .letters.models import Document, LetterMatch, MatchState  # noqa: E402, F401
