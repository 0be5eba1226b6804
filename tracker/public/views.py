"""Member-facing pages. Every page reaches commitments only through Commitment.objects.public(), sittings
and persons through Session.objects.public() and Person.objects.public()."""

import ipaddress
from functools import wraps

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.core import get_usage

from tracker.models import (
    Commitment,
    CommitmentEvent,
    Committee,
    Follow,
    LetterMatch,
    MatchState,
    Person,
    Session,
    Speech,
)
from tracker.public import exports
from tracker.public.caching import cached, cached_download, canonical_selection, register_version, request_version
from tracker.public.filters import CommitmentFilter, describe_selections, selection_key
from tracker.public.presentation import Span, clean_text, highlight
from tracker.register import figures, rules

# The public history's rule lives in rules.py; kept importable from here.
PUBLIC_EVENT_KINDS = rules.PUBLIC_EVENT_KINDS
public_timeline = rules.public_timeline


def public_page(view):
    """Public pages, unless the register is configured to require a login."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if settings.TRACKER_PUBLIC_REQUIRES_LOGIN and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper


def public_commitments():
    return Commitment.objects.public().select_related("promised_by", "question__session__committee")


def invalid_filter(filterset) -> HttpResponseBadRequest:
    """A download or feed asked with a filter it cannot apply: which and why, in plain text for the script or
    feed reader that asked (the HTML list shows the same errors next to the fields)."""
    return HttpResponseBadRequest(
        _("Invalid filter: %s") % filterset.errors.as_text(), content_type="text/plain; charset=utf-8"
    )


def filtered(request):
    return CommitmentFilter(request.GET or None, queryset=public_commitments())


def _download_client(group, request) -> str:
    """Whose downloads are counted: a logged-in account by itself, anyone else by the address the trusted
    proxy saw (the lockout's own function, so both read X-Forwarded-For alike; never an entry the client
    wrote). An IPv6 subscriber holds a whole /64 and could step through it: counted as one."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    address = get_client_ip_address(request) or request.META.get("REMOTE_ADDR") or "unknown"
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return f"ip:{address}"
    if ip.version == 6:
        ip = ipaddress.ip_network(f"{ip}/64", strict=False).network_address
    return f"ip:{ip}"


def download_refused(request) -> HttpResponse | None:
    """429 with Retry-After once a client has had TRACKER_DOWNLOAD_RATE downloads (feed, calendar, CSV, JSON
    together), else None. A download of a new selection costs seconds on a large register; one client must
    not take the server's cores from everyone. Clerks (staff) are not limited; a cached answer or a 304
    counts like any other."""
    user = getattr(request, "user", None)
    if settings.TRACKER_DOWNLOAD_RATE is None or (user is not None and user.is_authenticated and user.is_staff):
        return None
    usage = get_usage(
        request, group="tracker.downloads", key=_download_client, rate=settings.TRACKER_DOWNLOAD_RATE, increment=True
    )
    if usage is None or not usage["should_limit"]:
        return None
    wait = max(1, usage["time_left"])
    message = ngettext(
        "Too many downloads in a short time. Try again in %(seconds)d second.",
        "Too many downloads in a short time. Try again in %(seconds)d seconds.",
        wait,
    )
    response = HttpResponse(
        message % {"seconds": wait},
        status=429,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(wait)
    return response


def throttled(view):
    """A download view, counted and refused per client by download_refused."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        return download_refused(request) or view(request, *args, **kwargs)

    return wrapper


def commitments_download(request, filterset, fmt: str):
    """The CSV or JSON of a valid selection, cached per canonical selection at the register version: the same
    selection asked in any spelling is made once. Neither holds translated text, so one entry serves both
    languages."""
    queryset = filterset.qs.prefetch_related("promised_to")
    chunks = exports.csv_chunks if fmt == "csv" else exports.json_chunks
    body = cached_download(
        fmt,
        canonical_selection(filterset),
        version=request_version(request),
        language=False,
        produce=lambda: chunks(queryset),
    )
    return exports.download_response(fmt, body)


# Counting stops here: a count costs about COUNT_CAP / (share of the register that matches) index
# steps, so at 10,000 a committee's counts took 100 ms on a 100,000-item register when not cached
# (the first visitor after every change pays that), at 1,000 about a tenth. Beyond it the list says
# "more than 1,000", pages up to the cap, and points to the downloads, which hold everything.
COUNT_CAP = 1_000


def capped_count(queryset) -> int:
    """Exact up to COUNT_CAP, then COUNT_CAP + 1: a page costs the same on a register of any size."""
    return queryset.order_by().values("pk")[: COUNT_CAP + 1].count()


def status_counts(filterset) -> list[dict]:
    """Counts per public status for the current filter, ignoring the status filter itself (and the sort:
    "open longest" narrows the list to pending commitments, not the counts of the other statuses)."""
    data = filterset.data.copy() if filterset.data is not None else None
    if data is not None:
        data.pop("status", None)
        data.pop("sort", None)
    base = CommitmentFilter(data, queryset=Commitment.objects.public(), counting=True)
    queryset = base.qs if base.is_valid() else Commitment.objects.none()
    return [
        {"code": code, "label": label, "count": capped_count(queryset.filter(status=code)), "cap": COUNT_CAP}
        for code, label in CommitmentFilter.base_filters["status"].extra["choices"]
    ]


def listed_count(filterset, counts: list[dict]) -> int:
    """The list's (capped) count from the per-status counts, which differ from the list only by its status
    filter: the sum over the statuses it shows. Saves counting the selection a second time."""
    shown = filterset.shown_statuses()
    return min(sum(row["count"] for row in counts if shown is None or row["code"] in shown), COUNT_CAP + 1)


@public_page
def commitment_list(request):
    fmt = request.GET.get("format")
    if fmt in ("csv", "json") and (refused := download_refused(request)):
        return refused
    filterset = filtered(request)
    valid = filterset.is_valid() if filterset.is_bound else True
    queryset = filterset.qs if valid else Commitment.objects.none()
    if fmt in ("csv", "json"):
        return commitments_download(request, filterset, fmt) if valid else invalid_filter(filterset)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    without_status = query.copy()
    without_status.pop("status", None)
    follow_key = selection_key(query)
    version = register_version()
    counts = cached("counts", query.urlencode(), version=version, compute=lambda: status_counts(filterset))
    paginator = Paginator(queryset.prefetch_related("promised_to"), settings.TRACKER_PAGE_SIZE)
    paginator.count = listed_count(filterset, counts) if valid else 0
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "tracker/commitment_list.html",
        {
            "filter": filterset,
            "page": page,
            "counts": counts,
            "count_cap": COUNT_CAP,
            "query": query.urlencode(),
            "query_without_status": without_status.urlencode(),
            "follow_key": follow_key,
            "today": rules.today(),
            "following_filter": request.user.is_authenticated
            and bool(follow_key)
            and Follow.objects.filter(user=request.user, commitment=None, query=follow_key).exists(),
        },
    )


@public_page
def commitment_detail(request, reference):
    commitment = get_object_or_404(
        public_commitments().select_related("source_speech", "question__addressed_to"), reference=reference
    )
    events = public_timeline(
        list(CommitmentEvent.objects.filter(commitment=commitment, kind__in=PUBLIC_EVENT_KINDS).order_by("at", "pk"))
    )
    related = (
        Commitment.objects.public()
        .filter(Q(links_in__source=commitment) | Q(links_out__target=commitment))
        .distinct()
        .order_by("reference")
    )
    return render(
        request,
        "tracker/commitment_detail.html",
        {
            "c": commitment,
            "promised_to": list(commitment.promised_to.all()),
            "events": events,
            "documents": [e for e in events if e.evidence_title or e.evidence_url],
            "links_out": list(
                commitment.links_out.select_related("target").filter(target__in=Commitment.objects.public())
            ),
            "links_in": list(
                commitment.links_in.select_related("source").filter(source__in=Commitment.objects.public())
            ),
            "related": related,
            # Only letters a clerk confirmed: a proposal or a rejected match is internal.
            "letters": list(
                LetterMatch.objects.filter(commitment=commitment, state=MatchState.CONFIRMED)
                .select_related("document")
                .order_by("document__date", "pk")
            ),
            "today": rules.today(),
            "following": request.user.is_authenticated
            and Follow.objects.filter(user=request.user, commitment=commitment).exists(),
        },
    )


@public_page
def session_detail(request, slug):
    session = get_object_or_404(Session.objects.public().select_related("committee"), slug=slug)
    commitments = list(Commitment.objects.public().filter(question__session=session).order_by("reference"))
    by_speech: dict[int, list] = {}
    for c in commitments:
        by_speech.setdefault(c.source_speech_id, []).append(c)
    questions = session.questions.prefetch_related(
        Prefetch("speeches", queryset=Speech.objects.select_related("speaker").order_by("sequence")),
        "asked_by",
    ).select_related("addressed_to")
    items = []
    for question in questions:
        speeches = []
        for speech in question.speeches.all():
            # Quotes are cleaned of control characters when stored; speeches, imported in bulk, may hold them
            # still: clean both the same way, so every quote is still found where it was said.
            text = clean_text(speech.text)
            spans = []
            for c in by_speech.get(speech.pk, []):
                quote = clean_text(c.quote)
                start = text.find(quote)
                if start >= 0:
                    spans.append(
                        Span(start, start + len(quote), c.reference, reverse("tracker:detail", args=[c.reference]))
                    )
            speeches.append({"speech": speech, "html": highlight(text, sorted(spans, key=lambda s: s.start))})
        items.append({"question": question, "speeches": speeches})
    return render(
        request, "tracker/session_detail.html", {"session": session, "items": items, "commitments": commitments}
    )


@public_page
def person_detail(request, slug):
    person = get_object_or_404(Person.objects.public(), slug=slug)
    made = public_commitments().filter(promised_by=person)
    received = public_commitments().concerning_member(person)
    return render(
        request,
        "tracker/person_detail.html",
        {
            "person": person,
            # The latest page of each; the links under them open the full, filterable list.
            "made": list(made.order_by("-created", "-pk")[: settings.TRACKER_PAGE_SIZE]),
            "received": list(received.order_by("-created", "-pk")[: settings.TRACKER_PAGE_SIZE]),
            "scorecard": cached("person", person.pk, compute=lambda: figures.scorecard(person=person))
            if made.exists()
            else None,
            "today": rules.today(),
        },
    )


def _latest_sittings(committee, n: int) -> list[Session]:
    """Newest first, undated ones last. Dated and undated apart: each then reads the committee's sitting
    index in order and stops after n; one NULLS LAST order made PostgreSQL sort all of a committee's."""
    public = committee.sessions.public()
    dated = list(public.filter(date__isnull=False).order_by("-date", "pk")[:n])
    if len(dated) < n:
        dated += public.filter(date__isnull=True).order_by("pk")[: n - len(dated)]
    return dated


@public_page
def committee_detail(request, slug):
    committee = get_object_or_404(Committee, slug=slug)
    commitments = public_commitments().in_sessions(committee=committee)
    sessions = _latest_sittings(committee, 50)
    # Counted for the shown sittings only: one grouped query, whatever the committee's history.
    counts = dict(
        Commitment.objects.public()
        .filter(question__session__in=sessions)
        .order_by()
        .values_list("question__session")
        .annotate(n=Count("pk"))
    )
    for session in sessions:
        session.n_public = counts.get(session.pk, 0)
    return render(
        request,
        "tracker/committee_detail.html",
        {
            "committee": committee,
            # From the tally the database keeps current: a few rows, whatever the committee's history.
            "scorecard": cached("committee", committee.pk, compute=lambda: figures.scorecard(committee=committee)),
            "recent": list(commitments.order_by("-created")[:25]),
            "sessions": sessions,
            "today": rules.today(),
        },
    )


@login_required
def my_commitments(request):
    person = Person.objects.filter(user=request.user).first()
    mine = public_commitments().concerning_member(person) if person else Commitment.objects.none()
    follows = list(Follow.objects.filter(user=request.user).select_related("commitment").order_by("-created"))
    selections = [f for f in follows if f.commitment_id is None]
    for follow, description in zip(selections, describe_selections([f.query for f in selections]), strict=True):
        follow.description = description
    return render(
        request,
        "tracker/my_commitments.html",
        {
            "person": person,
            "mine": list(mine.order_by("-created")[:100]),
            "follows": follows,
            "today": rules.today(),
        },
    )


@login_required
@require_POST
def follow_commitment(request, reference):
    commitment = get_object_or_404(Commitment.objects.public(), reference=reference)
    if request.POST.get("unfollow"):
        Follow.objects.filter(user=request.user, commitment=commitment).delete()
        messages.success(request, _("You no longer follow %s.") % reference)
    elif not _follow_refused(request, Follow.objects.filter(user=request.user, commitment=commitment)):
        Follow.objects.get_or_create(user=request.user, commitment=commitment)
        messages.success(request, _("You follow %s: you get an e-mail at every status change.") % reference)
    return redirect("tracker:detail", reference=reference)


@login_required
@require_POST
def follow_filter(request):
    query = request.POST.get("query", "")
    key = selection_key(QueryDict(query))
    if not key:
        raise Http404
    # The canonical key is percent-encoded: a search of 198 × "é" is 1,190 characters of it. Cutting the
    # query before encoding let a key past the column's length through (a 500 on PostgreSQL, a silently
    # different selection on SQLite): a selection too long to store is refused, saying so.
    if len(key) > Follow._meta.get_field("query").max_length:
        messages.error(request, _("This selection is too long to follow. Shorten the search text."))
        return _back_to_list(query)
    if request.POST.get("unfollow"):
        Follow.objects.filter(user=request.user, commitment=None, query=key).delete()
        messages.success(request, _("You no longer follow this list."))
    elif not _follow_refused(request, Follow.objects.filter(user=request.user, commitment=None, query=key)):
        Follow.objects.get_or_create(user=request.user, commitment=None, query=key)
        messages.success(request, _("You follow this list: you get an e-mail at every status change in it."))
    return _back_to_list(query)


# Longer Location headers are refused by common proxies (nginx's default header buffer is 8 kB).
MAX_RETURN_QUERY = 4000


def _back_to_list(query: str):
    """Back to the list the member came from, unless the posted query is longer than any list page's."""
    return redirect(reverse("tracker:list") + ("?" + query if len(query) <= MAX_RETURN_QUERY else ""))


def _follow_refused(request, existing) -> bool:
    """Refuse a new follow beyond TRACKER_MAX_FOLLOWS, saying so (following again what is followed is fine).

    Every status change is matched against every followed list, so one account with thousands of them
    slowed down every clerk's work."""
    limit = settings.TRACKER_MAX_FOLLOWS
    if existing.exists() or Follow.objects.filter(user=request.user).count() < limit:
        return False
    messages.error(
        request,
        _("You already follow %(limit)d commitments and lists, the maximum per account. Stop following one first.")
        % {"limit": limit},
    )
    return True


@csrf_exempt  # the secret token is the authorisation; mail clients POST here for one-click (RFC 8058)
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """The link in every e-mail: GET (and HEAD) show what is followed and a button; only POST unsubscribes.

    Mail gateways' link scanners and previews follow every link in a message, so a GET that unsubscribed
    stopped mail nobody asked to stop. The button POSTs here, as mail clients do for one-click
    unsubscribe (RFC 8058, the List-Unsubscribe-Post header); no login needed either way.
    """
    follow = Follow.objects.filter(token=token).select_related("commitment").first()
    if follow is None:
        return render(request, "tracker/unsubscribed.html", {"follow": None}, status=404)
    if request.method == "POST":
        follow.delete()
        return render(request, "tracker/unsubscribed.html", {"follow": follow})
    description = None if follow.commitment_id else describe_selections([follow.query])[0]
    return render(request, "tracker/unsubscribe_confirm.html", {"follow": follow, "description": description})
