"""The employee's journey: invitation link → welcome → one page per section → review →
thank you. The token in the link is exchanged at once for a session, so later URLs (and
anything that logs them or sends them on as a Referer) never carry it."""

from functools import wraps

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from assessment.forms.answering import SectionForm
from assessment.guessing import guessing_limited
from assessment.models import Invitation, Round, Section
from assessment.selectors.answering import (
    drafts_by_section,
    first_unanswered_page,
    invitation_by_id,
    invitation_for_token,
)
from assessment.selectors.page_cache import form_html, respondent_pages
from assessment.selectors.reports import report_is_published
from assessment.selectors.review import review_rows
from assessment.services.answering import (
    PAGES_INCOMPLETE,
    AlreadySubmitted,
    PagesIncomplete,
    RoundNotOpen,
    draft_page_save,
    response_submit,
)
from assessment.views.errors import rate_limited

SESSION_KEY = "respondent_invitation"
SUBMITTED_KEY = "respondent_thanked_for_round"
SAVED_FOR_LATER = (
    "Your answers so far are saved. Open the link in your invitation e-mail to carry on."
)
FIX_AND_CONTINUE = "Your answers are saved. Please answer the questions marked below to go on."


class _AlreadyThanked(Exception):
    pass


def _current_invitation(request: HttpRequest) -> Invitation:
    invitation_id = request.session.get(SESSION_KEY)
    invitation = invitation_by_id(invitation_id) if isinstance(invitation_id, int) else None
    if invitation is not None:
        return invitation
    if request.session.get(SUBMITTED_KEY):
        raise _AlreadyThanked
    raise Http404


def _mark_submitted(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    """After submitting, the session forgets the invitation and keeps only which round it
    thanked for: nothing in it leads from the browser to the answers any more."""
    request.session.pop(SESSION_KEY, None)
    request.session[SUBMITTED_KEY] = invitation.round_id
    return redirect("respondent:thanks")


def respondent_view(view):
    """A respondent page: the invitation comes from the session; once submitted, every
    page is the thank-you page."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            invitation = _current_invitation(request)
        except _AlreadyThanked:
            return redirect("respondent:thanks")
        if invitation.is_submitted:
            return _mark_submitted(request, invitation)
        return view(request, invitation, *args, **kwargs)

    return wrapped


def _not_answerable(request: HttpRequest, invitation: Invitation) -> HttpResponse | None:
    """The page to show instead of the questions, if any."""
    if not invitation.round.is_open:
        return render(
            request,
            "assessment/respondent/unavailable.html",
            {"invitation": invitation, "round": invitation.round},
        )
    return None


@require_GET
def entry(request: HttpRequest, token: str) -> HttpResponse:
    if guessing_limited(request):
        return rate_limited(request)
    invitation = invitation_for_token(token)
    if invitation is None or invitation.is_submitted or invitation.round.has_ended:
        if invitation is not None and request.session.get(SUBMITTED_KEY) == invitation.round_id:
            return redirect("respondent:thanks")
        # A used or expired link looks exactly like one that never existed, and uses up a
        # guess like one: otherwise the next answer (404 or 429) would tell them apart.
        guessing_limited(request, failed=True)
        # A page of its own, whatever DEBUG says: someone who submitted and opens their
        # link again (in another browser) is told their answers were received.
        return render(request, "assessment/respondent/link_closed.html", status=404)
    request.session.cycle_key()
    request.session[SESSION_KEY] = invitation.pk
    return redirect("respondent:start")


@never_cache
@require_GET
@respondent_view
def start(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    if stop := _not_answerable(request, invitation):
        return stop
    pages = respondent_pages(invitation.round)
    drafts = drafts_by_section(invitation)
    if drafts:
        number = first_unanswered_page(pages, drafts)
        if number is None:
            return redirect("respondent:review")
        return redirect("respondent:page", number=number)
    return render(
        request,
        "assessment/respondent/welcome.html",
        {"invitation": invitation, "round": invitation.round, "pages": pages},
    )


def _section_or_404(pages: list[Section], number: int) -> Section:
    if not 1 <= number <= len(pages):
        raise Http404
    return pages[number - 1]


@never_cache
@require_http_methods(["GET", "POST"])
@respondent_view
def page(request: HttpRequest, invitation: Invitation, number: int) -> HttpResponse:
    if stop := _not_answerable(request, invitation):
        return stop
    pages = respondent_pages(invitation.round)
    section = _section_or_404(pages, number)
    drafts = drafts_by_section(invitation)
    previous = drafts[section.pk].data if section.pk in drafts else {}

    if request.method == "POST":
        form = SectionForm(request.POST, section=section)
        valid = form.is_valid()
        try:
            draft_page_save(
                invitation=invitation,
                section=section,
                data=form.merged_draft(previous),
                complete=valid,
            )
        except AlreadySubmitted:
            return _mark_submitted(request, invitation)
        except RoundNotOpen:
            return redirect("respondent:start")
        action = request.POST.get("action", "next")
        if action == "back":
            return (
                redirect("respondent:page", number=number - 1)
                if number > 1
                else redirect("respondent:welcome")
            )
        if action == "later":
            messages.success(request, SAVED_FOR_LATER)
            return redirect("respondent:page", number=number)
        if valid:
            if action == "review" or number == len(pages):
                return redirect("respondent:review")
            return redirect("respondent:page", number=number + 1)
        messages.error(request, FIX_AND_CONTINUE)
    else:
        form = SectionForm(initial=previous, section=section)

    return render(
        request,
        "assessment/respondent/page.html",
        {
            "invitation": invitation,
            "round": invitation.round,
            "section": section,
            "form": form,
            "form_html": form_html(form),
            "number": number,
            "total": len(pages),
            "progress_percent": round(100 * (number - 1) / (len(pages) + 1)),
            "came_from_review": request.GET.get("from") == "review",
            "is_last": number == len(pages),
        },
    )


@never_cache
@require_GET
@respondent_view
def welcome(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    """The welcome page on its own, reached by going back from the first page."""
    if stop := _not_answerable(request, invitation):
        return stop
    return render(
        request,
        "assessment/respondent/welcome.html",
        {
            "invitation": invitation,
            "round": invitation.round,
            "pages": respondent_pages(invitation.round),
            "resuming": True,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
@respondent_view
def review(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    if stop := _not_answerable(request, invitation):
        return stop
    pages = respondent_pages(invitation.round)
    drafts = drafts_by_section(invitation)
    if request.method == "POST":
        try:
            response_submit(invitation=invitation, pages=pages)
        except AlreadySubmitted:
            return _mark_submitted(request, invitation)
        except PagesIncomplete:
            messages.error(request, PAGES_INCOMPLETE)
            return redirect("respondent:page", number=first_unanswered_page(pages, drafts) or 1)
        except RoundNotOpen:
            return redirect("respondent:start")
        return _mark_submitted(request, invitation)
    return render(
        request,
        "assessment/respondent/review.html",
        {
            "invitation": invitation,
            "round": invitation.round,
            "rows": review_rows(pages, drafts),
            "ready": first_unanswered_page(pages, drafts) is None,
            "total": len(pages),
            "progress_percent": round(100 * len(pages) / (len(pages) + 1)),
        },
    )


@never_cache
@require_GET
def thanks(request: HttpRequest) -> HttpResponse:
    round_id = request.session.get(SUBMITTED_KEY)
    round_ = Round.objects.select_related("organisation").filter(pk=round_id).first()
    if round_ is None:
        if isinstance(request.session.get(SESSION_KEY), int):
            return redirect("respondent:start")
        raise Http404
    return render(
        request,
        "assessment/respondent/thanks.html",
        {"round": round_, "report_read": report_is_published(round_)},
    )
