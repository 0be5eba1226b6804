"""Atom feed of new commitments and status changes, and an iCalendar feed of deadlines, for any filter."""

import datetime
import hashlib
from functools import wraps
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Exists, OuterRef
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import http_date
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tracker.models import PENDING_STATUSES, CommitmentEvent, Status
from tracker.public.caching import cached_download, canonical_selection, request_version
from tracker.public.presentation import clean_text
from tracker.public.views import filtered, invalid_filter, public_page, throttled
from tracker.register import rules

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
    """Atom feed of a valid selection. Holds the request's filter: make one per request (see changes_feed)."""

    feed_type = PlainTextAtomFeed

    def __init__(self, filterset):
        self.filterset = filterset
        self.selection = canonical_selection(filterset)

    def get_object(self, request):
        return self.filterset.qs

    def title(self, obj):
        return _("Commitments register: new commitments and status changes")

    def link(self, obj):
        return reverse("tracker:list") + ("?" + self.selection if self.selection else "")

    def feed_url(self, obj):
        # rel="self" is this selection's feed, filters included, so a reader subscribes to what it asked for;
        # written canonically, so the body is the same for every address of the selection (one cache entry).
        return reverse("tracker:feed") + ("?" + self.selection if self.selection else "")

    def author_name(self, obj):
        return settings.TRACKER_PUBLISHER  # RFC 4287 wants an author for the feed or every entry

    def subtitle(self, obj):
        return _("Public status changes of the commitments in this selection.")

    def items(self, obj):
        # Public history only: registration (candidate → open) and later public changes; never internal notes.
        pks = list(
            CommitmentEvent.objects.filter(
                # EXISTS per event, walking the newest events first, stops after 50; an IN list made
                # SQLite collect the whole selection (a committee: 10,000 commitments) first.
                Exists(obj.order_by().filter(pk=OuterRef("commitment_id"))),
                rules.public_status_events_q(),
            )
            .order_by("-at", "-pk")
            .values_list("pk", flat=True)[:FEED_SIZE]
        )
        return (
            CommitmentEvent.objects.filter(pk__in=pks).select_related("commitment__promised_by").order_by("-at", "-pk")
        )

    def item_title(self, event):
        c = event.commitment
        return f"{c.reference}: {Status(event.to_status).label}"

    def item_description(self, event):
        c = event.commitment
        return f"{rules.promiser_name(c)}: “{c.quote}”" + (f" — {event.evidence_title}" if event.evidence_title else "")

    def item_link(self, event):
        return reverse("tracker:detail", args=[event.commitment.reference]) + f"#event-{event.uid}"

    def item_guid(self, event):
        return f"urn:uuid:{event.uid}"

    item_guid_is_permalink = False

    def item_pubdate(self, event):
        return event.at

    def item_updateddate(self, event):
        return event.at


def _validators(request) -> tuple[str, datetime.datetime | None]:
    """ETag and Last-Modified of a feed or calendar: taken from the register version (the latest change of any
    commitment) that keys the cached bodies, read before the body is made, so a change in between only
    costs the client one more download. Everything else the body depends on is in the ETag: the address
    asked (selection, scheme and host in the links), the language of the labels, the day (DTSTAMP) and
    the site address (the calendar's UIDs)."""
    version = request_version(request)
    raw = repr(
        (
            version,
            request.build_absolute_uri(),
            get_language(),
            timezone.localdate().isoformat(),
            settings.TRACKER_SITE_URL,
        )
    )
    modified = None if version == "empty" else datetime.datetime.fromisoformat(version)
    return '"' + hashlib.sha256(raw.encode()).hexdigest()[:32] + '"', modified


def conditional(view):
    """Answer If-None-Match / If-Modified-Since with 304 (RFC 9110), as feed readers and calendar apps poll.

    Not Django's @condition: that puts the validators on every answer, the 400 of a bad filter included, so
    a client could be told "not modified" for an error. Here a 304 is possible only for a valid selection,
    and only a 200 or its 304 carries the validators. The view's own Last-Modified (the feed's newest entry) is
    replaced: a reader sending it back must meet the same clock the 304 is decided on, or a later edit
    (a quote corrected, no new entry) would be answered with a full download every time.
    The view is called with the validated filter as its second argument.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        filterset = filtered(request)
        if filterset.is_bound and not filterset.is_valid():
            return invalid_filter(filterset)
        etag, modified = _validators(request)
        stamp = int(modified.timestamp()) if modified else None
        response = get_conditional_response(request, etag=etag, last_modified=stamp)
        if response is None:
            response = view(request, filterset, *args, **kwargs)
        if response.status_code in (200, 304):  # RFC 9110: a 304 repeats the validators of the 200
            response["ETag"] = etag
            if stamp is not None:
                response["Last-Modified"] = http_date(stamp)
        return response

    return wrapper


@public_page
@throttled
@conditional
def changes_feed(request, filterset):
    # Cached whole per canonical selection and address of the site (the links in it are absolute); a feed
    # instance per request: it keeps the request and its filter, and gunicorn's threads share a
    # module-level instance.
    body = cached_download(
        "feed",
        request.build_absolute_uri("/"),
        canonical_selection(filterset),
        version=request_version(request),
        language=True,
        produce=lambda: [ChangesFeed(filterset)(request).content],
    )
    return HttpResponse(b"".join(body), content_type=PlainTextAtomFeed.content_type)


@public_page
@throttled
@conditional
def deadlines_ics(request, filterset):
    """RFC 5545: one all-day event per open commitment with a deadline."""
    base = request.build_absolute_uri("/").rstrip("/")
    # UIDs are "reference@host of SITE_URL": the register's own domain, whichever address was asked, so a
    # calendar app that subscribed under another name keeps the same events (RFC 5545: globally unique).
    domain = urlsplit(settings.TRACKER_SITE_URL).hostname or "toezeggingen"
    body = cached_download(
        "ics",
        base,
        domain,
        # The calendar keeps its own order and only pending commitments: the list's sort changes nothing in it.
        canonical_selection(filterset, without={"sort"}),
        version=request_version(request),
        language=True,
        produce=lambda: [_calendar(filterset, base, domain)],
    )
    response = HttpResponse(b"".join(body), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="toezeggingen-termijnen.ics"'
    return response


def _calendar(filterset, base, domain) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Toezeggingen//NL")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("Deadlines of commitments"))
    stamp = timezone.now()
    # Soonest deadlines first, so that a selection beyond the limit drops the farthest ones, not the overdue.
    pending = filterset.qs.filter(status__in=PENDING_STATUSES, due_date__isnull=False)
    for c in pending.order_by("due_date", "reference")[:ICS_LIMIT]:
        event = icalendar.Event()
        event.add("uid", f"{c.reference}@{domain}")
        event.add("dtstamp", stamp)
        event.add("dtstart", c.due_date)
        event.add("dtend", c.due_date + datetime.timedelta(days=1))
        who = rules.promiser_name(c)
        # RFC 5545 allows no control character but tab in a value, and icalendar writes them as they are.
        event.add("summary", clean_text(f"{c.reference}: {who}"))
        event.add("description", clean_text(c.summary or c.quote))
        event.add("url", base + reverse("tracker:detail", args=[c.reference]))
        calendar.add_component(event)
    return calendar.to_ical()
