"""Reminders and notices for families: coupon and passport expiry mails, the weekly new-partner digest, the
in-app notices with their badge, and the family's mail choices.

- :mod:`.domain` — which reminders are due on a day (plain Python);
- :mod:`.models` — the sent-log, the choices (append-only), followed municipalities, notice reads;
- :mod:`.operations` — building the reminders from the database and sending them exactly once;
- :mod:`.views`, :mod:`.cli` — the pages and the cron commands.
"""


def init_app(app) -> None:
    from . import cli, views
    views.init_app(app)
    cli.init_app(app)
