"""Demo answers to the satisfaction surveys: most of the people the features invited answer
(70-85%), mostly satisfied as in ZHAS PROJECT's report (the applicants' satisfaction with the
competition's procedures 60% and more, the mentors' support about 80%), some with a comment in
their language. Through the surveys' own service, dated a little after each invitation."""
import random
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa

from app.applications.models import ApplicationEvent, ApplicationStatus
from app.contracts.models import Grant
from app.extensions import db
from app.final_reports.models import FinalReport
from app.surveys.answers import answer
from app.surveys.invitations import INVITATION_DELAY, SURVEY_DAYS
from app.surveys.models import SurveyInvitation, SurveyStage
from app.surveys.results import by_stage

S = SurveyStage


@dataclass(frozen=True)
class Answering:
    """How a group of people answers: the share who answer, and the weights of the scores 1-5."""

    response: float
    weights: tuple


ANSWERING = {
    S.APPLICATION: Answering(0.80, (2, 5, 20, 40, 33)),
    S.SCREENING: Answering(0.78, (1, 3, 12, 40, 44)),
    S.MENTORING: Answering(0.85, (1, 2, 12, 40, 45)),
    S.PROJECT: Answering(0.82, (1, 4, 15, 40, 40)),
}
# Rejected at screening: fewer answer, and fewer are satisfied with how it went.
REJECTED = Answering(0.60, (18, 24, 30, 18, 10))
COMMENT_SHARE = 0.4

COMMENTS = {
    S.APPLICATION: {
        "ru": {"high": ["Форма заявки понятная, заполнила с телефона за один вечер.",
                        "Спасибо колл-центру: помогли разобраться, какие документы нужны.",
                        "Номер заявки пришёл на почту сразу, всё прозрачно."],
               "mid": ["В целом нормально, но долго искал, где взять справку из центра занятости.",
                       "Хотелось бы больше примеров, как заполнять бюджет."],
               "low": ["Не сразу понял, какие документы подтверждают статус NEET.",
                       "Сложно было загрузить скан удостоверения с телефона."]},
        "kk": {"high": ["Өтінім нысаны түсінікті, телефоннан бір кеште толтырдым.",
                        "Байланыс орталығына рахмет, қандай құжаттар керек екенін түсіндірді."],
               "mid": ["Жалпы жақсы, бірақ бюджетті толтыру қиындау болды."],
               "low": ["NEET мәртебесін растайтын құжаттар туралы ақпарат аз болды."]},
    },
    S.SCREENING: {
        "ru": {"high": ["Результат пришёл быстро, причины понятны.",
                        "Понравилось, что дали исправить документ, а не отказали сразу."],
               "mid": ["Ждать результата пришлось дольше, чем я ожидал."],
               "low": ["Отклонили из-за справки, хотя я её загружал. Подал апелляцию.",
                       "Не согласна с решением, причина написана слишком кратко."]},
        "kk": {"high": ["Нәтиже тез келді, себептері түсінікті."],
               "mid": ["Нәтижені күту ұзағырақ болды."],
               "low": ["Шешіммен келіспеймін, себебі тым қысқа жазылған."]},
    },
    S.MENTORING: {
        "ru": {"high": ["Наставник всегда был на связи, помог найти поставщика.",
                        "Ежемесячные встречи очень помогли составить план продаж.",
                        "Спасибо наставнику за советы по продвижению в Instagram."],
               "mid": ["Встречи были полезными, но хотелось бы чаще видеться лично."],
               "low": ["С наставником виделись редко, в основном онлайн."]},
        "kk": {"high": ["Тәлімгер әрдайым байланыста болды, жеткізуші табуға көмектесті."],
               "mid": ["Кездесулер пайдалы болды, бірақ жиірек кездескім келді."],
               "low": ["Тәлімгермен сирек кездестік."]},
    },
    S.PROJECT: {
        "ru": {"high": ["Благодаря гранту открыла мастерскую и уже беру заказы.",
                        "Оборудование купили через поставщиков без задержек, проект работает.",
                        "Большое спасибо проекту, это мой первый опыт своего дела."],
               "mid": ["Оплата поставщику заняла больше времени, чем я планировал."],
               "low": ["Сложно было собрать все документы для итогового отчёта."]},
        "kk": {"high": ["Грант арқасында шеберхана аштым, тапсырыстар қабылдап жатырмын."],
               "mid": ["Жеткізушіге төлем ұзағырақ уақыт алды."],
               "low": ["Қорытынды есепке құжаттар жинау қиын болды."]},
    },
}


@dataclass(frozen=True)
class SurveysDemo:
    stages: list  # app.surveys.results.Satisfaction of every stage

    def line(self):
        parts = [f"{numbers.stage.value} {numbers.answered}/{numbers.invited}"
                 + (f" ({round(numbers.satisfied_share * 100)}% satisfied)" if numbers.answered else "")
                 for numbers in self.stages]
        return "Surveys answered: " + ", ".join(parts) + "."


def load_surveys(competition, now):
    """Answers a realistic share of the unanswered survey invitations of `competition`, each a
    few hours to three days after its invitation (never after `now`). The invitations of the
    application and screening stages are first dated when those happened, as the demo dates its
    history. In the current transaction; the caller commits."""
    rng = random.Random(f"surveys-{competition.code}")
    waiting = db.session.execute(
        sa.select(SurveyInvitation)
        .where(SurveyInvitation.competition_id == competition.id, SurveyInvitation.answered_at.is_(None))
        .order_by(SurveyInvitation.id)
    ).scalars().all()
    told = _screening_told(invitation.application_id for invitation in waiting)
    accepted = _reports_accepted(competition)
    for invitation in waiting:
        _date(invitation, told, accepted)
        group = _group(invitation)
        if rng.random() >= group.response:
            continue
        score = rng.choices(range(1, 6), weights=group.weights)[0]
        answered_at = min(now, invitation.invited_at + INVITATION_DELAY + timedelta(minutes=rng.randint(30, 72 * 60)))
        if answered_at <= invitation.invited_at or answered_at >= invitation.expires_at:
            continue
        answer(invitation, score, _comment(rng, invitation, score), now=answered_at)
    db.session.flush()
    return SurveysDemo(stages=by_stage(competition))


def _screening_told(application_ids):
    """{application id: when screening first told its outcome (eligible or rejected)}."""
    return dict(db.session.execute(
        sa.select(ApplicationEvent.application_id, sa.func.min(ApplicationEvent.at))
        .where(ApplicationEvent.application_id.in_(set(application_ids)),
               ApplicationEvent.status.in_([ApplicationStatus.ELIGIBLE, ApplicationStatus.REJECTED]))
        .group_by(ApplicationEvent.application_id)
    ).all())


def _reports_accepted(competition):
    """{grant id: when its final report was accepted}."""
    return dict(db.session.execute(
        sa.select(FinalReport.grant_id, FinalReport.accepted_at).join(Grant)
        .where(Grant.competition_id == competition.id, FinalReport.accepted_at.is_not(None))
    ).all())


def _date(invitation, told, accepted):
    """Dates an invitation when its stage happened in the demo's history: the application's
    submission, screening's outcome, the final report's acceptance."""
    if invitation.stage is S.APPLICATION:
        invited_at = invitation.application.submitted_at
    elif invitation.stage is S.SCREENING:
        invited_at = told.get(invitation.application_id)
    else:
        invited_at = accepted.get(invitation.grant_id)
    if invited_at is not None and invited_at < invitation.invited_at:
        invitation.invited_at = invited_at
        invitation.expires_at = invited_at + timedelta(days=SURVEY_DAYS)


def _group(invitation):
    rejected = invitation.application.status in (ApplicationStatus.REJECTED, ApplicationStatus.APPEALED)
    return REJECTED if invitation.stage is S.SCREENING and rejected else ANSWERING[invitation.stage]


def _comment(rng, invitation, score):
    if rng.random() >= COMMENT_SHARE:
        return ""
    language = "kk" if invitation.person.locale == "kk" else "ru"
    band = "high" if score >= 4 else ("mid" if score == 3 else "low")
    return rng.choice(COMMENTS[invitation.stage][language][band])
