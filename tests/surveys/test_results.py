"""The numbers per call and stage (`satisfaction`, which reports reuse) and the staff pages:
the results table, the comments without names, and who may open them."""
import pytest

from app.auth.models import Role
from app.auth.permissions import ROLE_PERMISSIONS, Permission
from app.extensions import db
from app.surveys import answers
from app.surveys.models import SurveyStage
from app.surveys.results import Satisfaction, by_call, by_stage, comments, satisfaction
from tests.conftest import login
from tests.factories import make_competition, make_user
from tests.surveys import call, en, invitations, invited, person  # noqa: F401

S = SurveyStage
# Ten applicants: eight answer the screening survey, two do not.
SCORES = [5, 5, 4, 4, 4, 3, 2, 1, None, None]


@pytest.fixture
def answered(en, call):
    """The screening survey of `call`: ten invited, the scores of SCORES, a comment on some."""
    for n, score in enumerate(SCORES, 1):
        invitation = invited(person(call, n))
        if score is not None:
            answers.answer(invitation, score, f"Комментарий {n}" if n % 2 else "")
    db.session.commit()
    return call


def test_satisfaction_counts_the_invited_the_answers_and_the_satisfied(answered):
    numbers = satisfaction(answered, S.SCREENING)
    assert (numbers.invited, numbers.answered, numbers.satisfied) == (10, 8, 5)
    assert numbers.distribution == {1: 1, 2: 1, 3: 1, 4: 3, 5: 2}
    assert numbers.response_rate == pytest.approx(0.8)
    assert numbers.average == pytest.approx(28 / 8)
    assert numbers.satisfied_share == pytest.approx(5 / 8)
    # every applicant was invited to the application survey too; nobody answered it
    application = satisfaction(answered, S.APPLICATION)
    assert (application.invited, application.answered, application.average, application.satisfied_share) == (
        10, 0, None, None)


def test_a_stage_nobody_was_invited_to_has_zeros_and_no_shares(en):
    numbers = satisfaction(make_competition(code="ZP99"), S.PROJECT)
    assert (numbers.invited, numbers.answered, numbers.response_rate, numbers.satisfied_share) == (0, 0, None, None)
    assert numbers.distribution == {1: 0, 2: 0, 3: 0, 4: 0, 5: 0}


def test_by_stage_and_by_call_give_every_stage_in_order_and_keep_calls_apart(answered):
    other = make_competition(code="ZP99")
    assert [numbers.stage for numbers in by_stage(answered)] == list(SurveyStage)
    found = by_call([answered, other])
    assert [numbers.invited for numbers in found[answered.id]] == [10, 10, 0, 0]
    assert [numbers.invited for numbers in found[other.id]] == [0, 0, 0, 0]
    assert found[answered.id][1].satisfied_share == satisfaction(answered, S.SCREENING).satisfied_share


def test_satisfaction_is_plain_numbers_for_reports():
    numbers = Satisfaction(S.MENTORING, invited=4, distribution={1: 0, 2: 0, 3: 1, 4: 1, 5: 2})
    assert (numbers.answered, numbers.satisfied, numbers.satisfied_share, numbers.average) == (4, 3, 0.75, 4.25)


def test_comments_come_newest_first_without_the_people(answered):
    page = comments(answered, S.SCREENING)
    assert page.total == 4
    assert [(row.score, row.comment) for row in page.items] == [
        (2, "Комментарий 7"), (4, "Комментарий 5"), (4, "Комментарий 3"), (5, "Комментарий 1")]
    assert comments(answered, S.SCREENING, page=10**25).page == 1
    assert comments(answered, S.APPLICATION).total == 0


@pytest.fixture
def as_manager(client, answered):
    login(client, make_user("manager@example.kz", roles=(Role.MANAGER,)).email)
    return client


def test_the_call_page_shows_the_numbers_by_stage_and_the_comments_without_names(as_manager, answered):
    response = as_manager.get(f"/manage/surveys/calls/{answered.id}?stage=screening")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Satisfied (4-5)" in html and "63%" in html and "80%" in html  # 5 of 8; 8 of 10
    assert "Комментарий 3" in html
    for application in (row.application for row in invitations()):
        assert application.last_name not in html and application.applicant.email not in html
        assert application.number not in html


def test_the_index_lists_every_call_with_its_shares(as_manager, answered):
    html = as_manager.get("/manage/surveys/").get_data(as_text=True)
    assert answered.code in html and "63%" in html and "8 of 10 answered" in html


@pytest.mark.parametrize("query", ["stage=nonsense", "page=-5", "page=abc", f"page={10**25}", "stage=%00"])
def test_odd_queries_show_a_page_not_an_error(as_manager, answered, query):
    assert as_manager.get(f"/manage/surveys/calls/{answered.id}?{query}").status_code == 200


def test_an_unknown_call_is_not_found(as_manager, answered):
    assert as_manager.get("/manage/surveys/calls/999999").status_code == 404


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_only_those_who_manage_calls_open_the_results(client, answered, role):
    login(client, make_user(f"{role.value}-reader@example.kz", roles=(role,)).email)
    allowed = Permission.MANAGE_CALL in ROLE_PERMISSIONS[role]
    for url in ("/manage/surveys/", f"/manage/surveys/calls/{answered.id}"):
        assert client.get(url).status_code == (200 if allowed else 403), (role, url)


def test_anonymous_visitors_are_sent_to_log_in(client, answered):
    response = client.get(f"/manage/surveys/calls/{answered.id}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
