"""Outgoing mail over SMTP. In development (MAIL_BACKEND=outbox) messages are written to the instance folder
instead and listed at /dev/outbox, a page that exists only in debug mode."""
from __future__ import annotations

import logging
import os
import smtplib
import ssl
import time
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import Blueprint, abort, current_app, render_template

log = logging.getLogger(__name__)
bp = Blueprint("dev_outbox", __name__, url_prefix="/dev/outbox")


def build_message(to: str, subject: str, body: str, html: str | None = None,
                  headers: dict[str, str] | None = None) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = current_app.config["MAIL_FROM"]
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain=current_app.config["MAIL_FROM"].split("@")[-1].strip(">"))
    for name, value in (headers or {}).items():
        msg[name] = value
    msg.set_content(body, charset="utf-8")
    if html is not None:
        msg.add_alternative(html, subtype="html", charset="utf-8")
    return msg


def send_mail(to: str, subject: str, body: str, html: str | None = None,
              headers: dict[str, str] | None = None) -> None:
    """Send a plain-text mail (with an HTML alternative and extra headers when given). Raises on SMTP failure
    (the caller decides what the user sees)."""
    msg = build_message(to, subject, body, html, headers)
    backend = current_app.config["MAIL_BACKEND"]
    if backend == "outbox":
        folder = outbox_dir()
        os.makedirs(folder, exist_ok=True)
        name = f"{time.time_ns()}.eml"
        with open(os.path.join(folder, name), "wb") as f:
            f.write(bytes(msg))
        log.info("mail to %s written to the development outbox (%s)", to, name)
        return
    cfg = current_app.config
    timeout = cfg["MAIL_TIMEOUT"]
    if cfg["MAIL_USE_SSL"]:
        smtp = smtplib.SMTP_SSL(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=timeout,
                                context=ssl.create_default_context())
    else:
        smtp = smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=timeout)
    with smtp:
        if cfg["MAIL_USE_TLS"]:
            smtp.starttls(context=ssl.create_default_context())
        if cfg["MAIL_USERNAME"]:
            smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"])
        smtp.send_message(msg)
    log.info("mail sent to %s: %s", to, subject)


def outbox_dir() -> str:
    return os.path.join(current_app.instance_path, "outbox")


@bp.route("/")
def outbox():
    """Development only: the mails the site would have sent, newest first, with their links."""
    if not current_app.debug or current_app.config["MAIL_BACKEND"] != "outbox":
        abort(404)
    from email import policy
    from email.parser import BytesParser
    folder = outbox_dir()
    messages = []
    if os.path.isdir(folder):
        for name in sorted(os.listdir(folder), reverse=True)[:50]:
            with open(os.path.join(folder, name), "rb") as f:
                m = BytesParser(policy=policy.default).parse(f)
            messages.append({"to": m["To"], "subject": m["Subject"], "date": m["Date"],
                             "body": m.get_body(("plain",)).get_content()})
    return render_template("dev/outbox.html", messages=messages)
