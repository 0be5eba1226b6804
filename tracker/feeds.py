"""Atom feed of new commitments and status changes, and an iCalendar feed of deadlines, for any filter."""

import datetime

import icalendar
from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Exists, OuterRef
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from .caching import cached
from .filters import selection_key
from .models import INTERNAL_STATUSES, PENDING_STATUSES, CommitmentEvent, EventKind, Status
from .presentation import clean_text
from .views import filtered, invalid_filter, public_page

FEED_SIZE = 50
ICS_LIMIT = 5000  # a calendar app chokes on more; a narrower filter gives the rest


def _clean(value):
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, (list, tuple)):
        return type(value)(_clean(v) for v in value)
    return value


class PlainTextAtomFeed(Atom1Feed):
    """Atom with entry summaries as plain text, and no character XML 1.0 cannot carry.

    Django writes every summary as type="html": a feed reader renders it, so a quote holding
    "<script>" or "<img onerror=…>" arrived as live markup. A quote is words, never markup.
    Stored text is cleaned of control characters when saved (services.clean_stored_text); rows written
    in bulk skip that, and one such character made Django refuse to write the feed for every selection
    holding it: clean whatever goes out again here.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.feed = {key: _clean(value) for key, value in self.feed.items()}

    def add_item(self, *args, **kwargs):
        super().add_item(*args, **kwargs)
        self.items[-1] = {key: _clean(value) for key, value in self.items[-1].items()}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class ChangesFeed(Feed):
    """Atom feed of a selection. Holds request state: make one per request (see changes_feed)."""

    feed_type = PlainTextAtomFeed

    def __call__(self, request, *args, **kwargs):
        self.request = request
        self.filterset = filtered(request)
        if self.filterset.is_bound and not self.filterset.is_valid():
            return invalid_filter(self.filterset)
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request):
        return self.filterset.qs

    def title(self, obj):
        return _("Commitments register: new commitments and status changes")

    def link(self, obj):
        return reverse("tracker:list") + ("?" + self.request.GET.urlencode() if self.request.GET else "")

    def feed_url(self, obj):
        # rel="self" is this selection's feed, filters included, so a reader subscribes to what it asked for.
        return self.request.get_full_path()

    def author_name(self, obj):
        return settings.TRACKER_PUBLISHER  # RFC 4287 wants an author for the feed or every entry

    def subtitle(self, obj):
        return _("Public status changes of the commitments in this selection.")

    def items(self, obj):
        # Public history only: registration (candidate → open) and later public changes; never internal notes.
        def newest():
            return list(
                CommitmentEvent.objects.filter(
                    # EXISTS per event, walking the newest events first, stops after 50; an IN list made
                    # SQLite collect the whole selection (a committee: 10,000 commitments) first.
                    Exists(obj.order_by().filter(pk=OuterRef("commitment_id"))),
                    kind__in=[EventKind.TRANSITION, EventKind.CREATED],
                    to_status__in=[s for s in Status.values if s not in INTERNAL_STATUSES],
                )
                .order_by("-at", "-pk")
                .values_list("pk", flat=True)[:FEED_SIZE]
            )

        pks = cached("feed", self.request.GET.urlencode(), compute=newest)
        return (
            CommitmentEvent.objects.filter(pk__in=pks).select_related("commitment__promised_by").order_by("-at", "-pk")
        )

    def item_title(self, event):
        c = event.commitment
        return f"{c.reference}: {Status(event.to_status).label}"

    def item_description(self, event):
        c = event.commitment
        who = c.promised_by.full_name if c.promised_by else c.promised_by_function
        return f"{who}: “{c.quote}”" + (f" — {event.evidence_title}" if event.evidence_title else "")

    def item_link(self, event):
        return reverse("tracker:detail", args=[event.commitment.reference]) + f"#event-{event.uid}"

    def item_guid(self, event):
        return f"urn:uuid:{event.uid}"

    item_guid_is_permalink = False

    def item_pubdate(self, event):
        return event.at

    def item_updateddate(self, event):
        return event.at


@public_page
def changes_feed(request):
    # A feed instance per request: it keeps the request and its filter, and gunicorn's threads share a
    # module-level instance.
    return ChangesFeed()(request)


@public_page
def deadlines_ics(request):
    """RFC 5545: one all-day event per open commitment with a deadline."""
    filterset = filtered(request)
    if filterset.is_bound and not filterset.is_valid():
        return invalid_filter(filterset)
    base = request.build_absolute_uri("/").rstrip("/")
    # Keyed by the selection, not the raw query string: made-up parameters cannot fill the cache with copies.
    body = cached("ics", base, selection_key(request.GET), compute=lambda: _calendar(filterset, base))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="toezeggingen-termijnen.ics"'
    return response


def _calendar(filterset, base) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Toezeggingen//NL")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("Deadlines of commitments"))
    stamp = timezone.now()
    # Soonest deadlines first, so that a selection beyond the limit drops the farthest ones, not the overdue.
    pending = filterset.qs.filter(status__in=PENDING_STATUSES, due_date__isnull=False)
    for c in pending.order_by("due_date", "reference")[:ICS_LIMIT]:
        event = icalendar.Event()
        event.add("uid", f"{c.reference}@toezeggingen")
        event.add("dtstamp", stamp)
        event.add("dtstart", c.due_date)
        event.add("dtend", c.due_date + datetime.timedelta(days=1))
        who = c.promised_by.full_name if c.promised_by else c.promised_by_function
        # RFC 5545 allows no control character but tab in a value, and icalendar writes them as they are.
        event.add("summary", clean_text(f"{c.reference}: {who}"))
        event.add("description", clean_text(c.summary or c.quote))
        event.add("url", base + reverse("tracker:detail", args=[c.reference]))
        calendar.add_component(event)
    return calendar.to_ical()
