"""A property of the applicant's steps: whatever is typed into any of their fields (NUL and other
control characters, numbers of 25 digits, right-to-left marks, emoji, 4,000-character words, HTML,
text that looks like SQL or a template), no page answers 500, and once submitted the receipt
renders to the end in every language.

Each example is a fresh complete application whose steps are posted again with hostile values
mixed with good ones; a step that refuses some is posted once more with the refused ones put back
to good values, so that what the steps accept of the hostile text is saved, submitted and printed.
Bounded to MAX_EXAMPLES, the same examples on every run (derandomized): the share of them that reach a
receipt, which the test asserts, then does not vary from run to run."""
import itertools
from io import BytesIO

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from app.applications.models import Application
from app.applications.receipt import LANGUAGES
from app.extensions import db
from tests.applications import call, en, error_next_to  # noqa: F401
from tests.conftest import login
from tests.factories import make_application, make_user

MAX_EXAMPLES = 30

HOSTILE_PIECES = [
    "\x00", "\x01", "\x07", "\x1b[31m", "\x7f", "\x9b", "\u0085", "\u2028", "\ufeff", "\ufffe",
    "\u202e", "\u200f", "\u2066", "\u200d", "👩‍👩‍👧‍👦", "🇰🇿", "\U0001F600" * 20,
    str(10**25), "-" + str(10**25), "1e25", "9" * 400, "0001-01-01", "１２３", "١٢٣", "²",
    "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "&amp;", "]]>", "<br/>",
    "'; DROP TABLE applications; --", "' OR '1'='1", "%", "_", "\\", "%(name)s", "%s", "{{ 7*7 }}", "${7*7}",
    "Ш" * 3990, "W" * 250, "ӘҒҚҢӨҰҮҺІ" * 400, " " * 50, "\n" * 40, "\r\n\t",
]
hostile = st.lists(
    st.one_of(st.sampled_from(HOSTILE_PIECES),
              st.text(st.characters(exclude_categories=("Cs",)), max_size=20)),  # surrogates cannot be sent
    min_size=1, max_size=3).map("".join)

GOOD = {
    1: {"last_name": "Нұрланова", "first_name": "Айгерим", "patronymic": "", "phone": "+7 701 123 45 67"},
    2: {"region_code": "ALA", "district_code": "ALA-ALMALY", "address": "ул. Толе би, 100"},
    3: {"not_working": "y", "not_studying": "y", "not_in_training": "y", "situation": "Ищу работу.",
        "social_categories": "rural"},
    4: {"project_title": "Мастерская", "problem": "Нет ремонта.", "goal": "Открыть.", "target_group": "Мамы",
        "activities": "Купить.", "beneficiaries_count": "120"},
    5: {"lines-0-item": "Швейная машина", "lines-0-quantity": "2", "lines-0-unit_price": "180 000",
        "lines-0-supplier": "ТОО «Шебер»", "lines-1-item": "", "lines-1-quantity": "", "lines-1-unit_price": "",
        "lines-1-supplier": ""},
}


def _typed(step):
    """What is posted to a step: each field hostile or good, by chance (and a hostile IIN)."""
    fields = [*GOOD[step], *(("iin",) if step == 1 else ())]
    return st.fixed_dictionaries({name: st.one_of(hostile, st.just(GOOD[step].get(name, ""))) for name in fields})


def _post_step(client, application, step, typed, good):
    """Posts `typed`, then (if some were refused) the accepted ones with good values in place of
    the refused, then (if still refused: a total over the cap, a district of another region)
    the good values. Every answer is a page or a redirect, never an error."""
    url = f"/applications/{application.id}/step/{step}"
    attempts = [typed, None, good]
    for attempt, data in enumerate(attempts):
        response = client.post(url, data=data)
        assert response.status_code in (200, 302), (step, data)
        if response.status_code == 302:
            return
        html = response.get_data(as_text=True)
        assert "Something went wrong" not in html
        if attempt == 0:
            attempts[1] = {name: good[name] if error_next_to(html, name) is not None else value
                           for name, value in typed.items()}
    raise AssertionError(f"step {step} refuses its good values")


def test_no_step_answers_500_and_every_receipt_renders_whatever_is_typed(app, en, call):
    numbers = itertools.count(1)
    languages = itertools.cycle(LANGUAGES)
    receipts = []

    @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(st.fixed_dictionaries({step: _typed(step) for step in GOOD}), st.booleans())
    def run(typed, more):
        number = next(numbers)
        user = make_user(f"hostile{number}@example.kz", phone=f"+7701{number:07d}", locale="en")
        application = make_application(call, user)
        client = app.test_client()
        login(client, user.email)
        for step, values in typed.items():
            extra = {"more": "1"} if more and step == 5 else {}
            good = {**GOOD[step], **({"iin": application.iin} if step == 1 else {}), **extra}
            _post_step(client, application, step, {**values, **extra}, good)
        review = client.get(f"/applications/{application.id}/review")
        assert review.status_code == 200
        response = client.post(f"/applications/{application.id}/submit", data={"consent": "y"})
        assert response.status_code in (200, 302)
        submitted = db.session.get(Application, application.id)
        if submitted.snapshot is None:  # a hostile value left a field empty: the review says what is missing
            return
        lang = next(languages)
        response = client.get(f"/my/applications/{application.id}/receipt-{lang}.pdf")
        assert response.status_code == 200
        reader = PdfReader(BytesIO(response.data))
        text = "".join("".join(page.extract_text().split()) for page in reader.pages)
        assert submitted.number in text
        assert submitted.snapshot_sha256 in text  # the story was laid out to its end
        receipts.append(lang)

    run()
    assert len(receipts) >= MAX_EXAMPLES // 5, receipts  # many examples get as far as a receipt
