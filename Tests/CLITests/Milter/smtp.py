#!/usr/bin/env python3
"""The SMTP side of the Postfix tests: sends messages to a Postfix, each as if from the client the plan names.

Usage: smtp.py PLAN.json. The plan: {"port": N, "messages": [{"file": PATH, "client": "203.0.113.9",
"helo": "mail.example.com", "mail_from": "a@example.com", "rcpt": ["user@example.jp"]}, ...]}. Each message goes
over a connection of its own: EHLO, XCLIENT ADDR/NAME/HELO (Postfix then treats the session as coming from that
client, and tells its milters so), EHLO again, MAIL, RCPT, DATA. Prints JSON: for each message the reply to its
DATA (or to whatever refused it first) as {"stage", "code", "text"}. Standard library only.
"""
import json
import smtplib
import sys


def send(port, m):
    with open(m["file"], "rb") as f:
        body = f.read()
    s = smtplib.SMTP("127.0.0.1", port, timeout=60)
    try:
        s.ehlo("relay.test")
        if m.get("client"):
            code, text = s.docmd("XCLIENT", "ADDR=%s NAME=[UNAVAILABLE] HELO=%s" % (m["client"], m.get("helo", "[%s]" % m["client"])))
            if code != 220:
                return {"stage": "xclient", "code": code, "text": text.decode("utf-8", "replace")}
            s.ehlo(m.get("helo", "client.test"))
        code, text = s.mail(m.get("mail_from", ""))
        if code != 250:
            return {"stage": "mail", "code": code, "text": text.decode("utf-8", "replace")}
        for r in m.get("rcpt", ["user@example.jp"]):
            code, text = s.rcpt(r)
            if code not in (250, 251):
                return {"stage": "rcpt", "code": code, "text": text.decode("utf-8", "replace")}
        try:
            code, text = s.data(body)
        except smtplib.SMTPDataError as e:
            code, text = e.smtp_code, e.smtp_error
        return {"stage": "data", "code": code, "text": text.decode("utf-8", "replace")}
    finally:
        try:
            s.quit()
        except smtplib.SMTPException:
            s.close()


def main():
    with open(sys.argv[1]) as f:
        plan = json.load(f)
    print(json.dumps([send(plan["port"], m) for m in plan["messages"]]))


if __name__ == "__main__":
    main()
