"""`flask demo load --stage drawn`: the demo call screened, its lottery published and checkable."""
import json
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

from app.applications.models import Application, ApplicationStatus
from app.extensions import db
from app.lottery.models import Draw, DrawState

VERIFIER = Path(__file__).resolve().parents[1] / "tools" / "verify_draw.py"


def test_the_drawn_stage_publishes_a_draw_that_the_verifier_accepts(demo_stages, runner, app_ctx, tmp_path):
    result = demo_stages.load("drawn")  # loaded once per session (tests/demo_stages.py)
    assert result.exit_code == 0, result.output
    draw = db.session.execute(sa.select(Draw)).scalar_one()
    assert draw.state is DrawState.PUBLISHED
    assert f"Demo draw {draw.id} published: 28 winners" in result.output
    winners = db.session.execute(sa.select(sa.func.count(Application.id)).where(
        Application.status == ApplicationStatus.WINNER)).scalar()
    assert winners == 28  # 20 in Almaty city, 8 in Mangystau region

    record = runner.invoke(args=["draw", "export", str(draw.id)]).output
    path = tmp_path / "record.json"
    path.write_text(record)
    assert json.loads(record)["format"] == "grants-draw/1"
    verdict = subprocess.run([sys.executable, str(VERIFIER), str(path), "--head", draw.log_head],
                             capture_output=True, text=True)
    assert verdict.returncode == 0 and verdict.stdout.startswith("OK\n"), verdict.stdout
