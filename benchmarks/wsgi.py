"""The app as the throughput benchmark serves it, with one bare route for comparison."""

import os

from flask_login import login_required

from app import create_app

app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": os.environ["COOPDX_BENCH_DATABASE"],
                  "SECRET_KEY": os.environ["SECRET_KEY"]})


@app.post("/bench/bare")
@login_required
def bare() -> str:
    return "ok"
