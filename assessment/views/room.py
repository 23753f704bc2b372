"""A participant's phone in a live workshop: /join → the code → their level (and
department) → the question the room is on, which follows the facilitator by itself.

Participants are anonymous: the session holds a random participant id and nothing else.
Every page is a plain HTML form that works without JavaScript; with it, a tiny poll
(`state`) moves the phone on within a second or two of the facilitator."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from assessment.forms.workshops import ANSWER_FIELD, JoinCodeForm, JoinForm, QuestionForm
from assessment.guessing import guessing_limited
from assessment.models import WorkshopParticipant, WorkshopQuestion
from assessment.selectors.workshops import (
    answered_positions,
    live_workshop_for_code,
    participant_answer,
    participant_by_id,
    room_is_full,
    workshop_question_at,
    workshop_questions,
)
from assessment.services.workshops import (
    QUESTION_NOT_OPEN,
    ROOM_FULL,
    is_open_for_answers,
    normalise_join_code,
    participant_join,
    workshop_answer_save,
    workshop_departments,
)
from assessment.views.errors import rate_limited

SESSION_KEY = "workshop_participant"
NO_SUCH_CODE = "No live workshop has this code. Check the code on the screen and try again."
JOIN_FIRST = "Join the workshop with the code on the screen first."
ANSWER_SAVED = "Your answer is in."
MOVED_ON = QUESTION_NOT_OPEN


def _participant(request: HttpRequest) -> WorkshopParticipant | None:
    participant_id = request.session.get(SESSION_KEY)
    return participant_by_id(participant_id) if isinstance(participant_id, str) else None


@never_cache
@require_GET
def join(request: HttpRequest) -> HttpResponse:
    """Type the code (a GET form: nothing is written until the next page)."""
    form = JoinCodeForm(request.GET or None)
    if form.is_valid():
        if guessing_limited(request):
            return rate_limited(request)
        code = normalise_join_code(form.cleaned_data["code"])
        if live_workshop_for_code(code) is not None:
            return redirect("join-workshop", code=code)
        guessing_limited(request, failed=True)
        form.add_error("code", NO_SUCH_CODE)
    return render(request, "assessment/room/join.html", {"form": form})


@never_cache
@require_http_methods(["GET", "POST"])
def join_workshop(request: HttpRequest, code: str) -> HttpResponse:
    """Where the QR code leads: say your level (and department), then you are in."""
    if guessing_limited(request):
        return rate_limited(request)
    workshop = live_workshop_for_code(normalise_join_code(code))
    if workshop is None:
        guessing_limited(request, failed=True)
        return render(
            request,
            "assessment/room/join.html",
            {"form": JoinCodeForm(), "not_found": NO_SUCH_CODE},
            status=404,
        )
    participant = _participant(request)
    if participant is not None and participant.workshop_id == workshop.pk:
        return redirect("room:now")
    if room_is_full(workshop):
        return render(
            request,
            "assessment/room/join_workshop.html",
            {"workshop": workshop, "full": ROOM_FULL},
        )
    departments = workshop_departments(workshop)
    form = JoinForm(request.POST or None, workshop=workshop, departments=departments)
    if request.method == "POST" and form.is_valid():
        try:
            participant = participant_join(
                workshop=workshop,
                level=form.cleaned_data["level"],
                department=form.cleaned_data.get("department"),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            request.session[SESSION_KEY] = str(participant.pk)
            return redirect("room:now")
    return render(
        request, "assessment/room/join_workshop.html", {"workshop": workshop, "form": form}
    )


def _question_page(
    request: HttpRequest,
    participant: WorkshopParticipant,
    workshop_question: WorkshopQuestion,
    form: QuestionForm,
    status: int = 200,
) -> HttpResponse:
    workshop = participant.workshop
    return render(
        request,
        "assessment/room/question.html",
        {
            "workshop": workshop,
            "workshop_question": workshop_question,
            "question": workshop_question.question,
            "form": form,
            "total": workshop.questions.count(),
            "stage": workshop.stage,
        },
        status=status,
    )


@never_cache
@require_GET
def now(request: HttpRequest) -> HttpResponse:
    """Whatever the room is doing now: the current question, a wait for the next one,
    every question at once, or the end."""
    participant = _participant(request)
    if participant is None:
        messages.info(request, JOIN_FIRST)
        return redirect("join")
    workshop = participant.workshop
    context = {"workshop": workshop, "stage": workshop.stage}
    if not workshop.is_live:
        return render(request, "assessment/room/thanks.html", context)
    answered = answered_positions(participant)
    if workshop.all_open:
        return render(
            request,
            "assessment/room/all.html",
            {**context, "questions": workshop_questions(workshop), "answered": answered},
        )
    if workshop.current in answered:
        return render(
            request,
            "assessment/room/waiting.html",
            {**context, "total": workshop.questions.count()},
        )
    workshop_question = workshop_question_at(workshop, workshop.current)
    form = QuestionForm(question=workshop_question.question)
    return _question_page(request, participant, workshop_question, form)


@never_cache
@require_http_methods(["GET", "POST"])
def question(request: HttpRequest, position: int) -> HttpResponse:
    participant = _participant(request)
    if participant is None:
        messages.info(request, JOIN_FIRST)
        return redirect("join")
    workshop = participant.workshop
    workshop_question = workshop_question_at(workshop, position)
    if workshop_question is None or not is_open_for_answers(workshop, position):
        if request.method == "POST":
            messages.info(request, MOVED_ON)
        return redirect("room:now")
    the_question = workshop_question.question
    if request.method == "POST":
        form = QuestionForm(request.POST, question=the_question)
        if form.is_valid():
            try:
                workshop_answer_save(
                    participant=participant,
                    workshop_question=workshop_question,
                    value=form.cleaned_data[ANSWER_FIELD],
                    comment=form.cleaned_data.get("comment", ""),
                )
            except ValidationError as error:
                for message in error.messages:
                    messages.info(request, message)
            else:
                # Paced, the next page says so in its heading; with every question open,
                # the list needs telling.
                if workshop.all_open:
                    messages.success(request, ANSWER_SAVED)
            return redirect("room:now")
        return _question_page(request, participant, workshop_question, form, status=200)
    initial = QuestionForm.initial_from(participant_answer(participant, the_question), the_question)
    form = QuestionForm(initial=initial, question=the_question)
    return _question_page(request, participant, workshop_question, form)


@never_cache
@require_GET
def state(request: HttpRequest) -> HttpResponse:
    """Polled every second by a participant's page. 204 while the room is where the page
    was drawn; otherwise htmx is told to load the page the room is on now."""
    participant = _participant(request)
    if participant is None:
        response = HttpResponse(status=200)
        response["HX-Redirect"] = reverse("join")
        return response
    if request.GET.get("stage") == participant.workshop.stage:
        return HttpResponse(status=204)
    response = HttpResponse(status=200)
    response["HX-Redirect"] = reverse("room:now")
    return response
