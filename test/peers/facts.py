"""Reads what e2e.sh checks: the service's spool list, RT's REST2 replies and
the messages the SMTP sink stored. Prints facts as shell assignments (for
`eval`) or raw bytes; e2e.sh makes the assertions, so this file decides
nothing about passing.

  facts.py record REF     < spool-list.json  -> REC_* assignments
  facts.py rt-items       < rt-reply.json    -> "id<TAB>name" per item
  facts.py rt-content     < attachment.json  -> the decoded bytes
  facts.py rt-field NAME  < ticket.json      -> the field as text
  facts.py mail MAILDIR KEY OUT              -> MAIL_* assignments; the
                                                first match's attachments
                                                written to OUT/0, OUT/1, ...

Uses only the standard library of Debian's python3 (the SMTP sink's own
interpreter, so it is there whenever the sink is).
"""

import base64
import email
import email.policy
import json
import os
import shlex
import sys


def assign(name, value):
    print(f"{name}={shlex.quote(str(value))}")


def assign_array(name, values):
    print(f"{name}=(" + " ".join(shlex.quote(str(v)) for v in values) + ")")


def record(ref):
    """The spool record with reference REF, and its destinations."""
    recs = json.load(sys.stdin) or []
    found = [r for r in recs if r.get("reference") == ref]
    assign("REC_COUNT", len(found))
    if not found:
        return
    r = found[0]
    assign("REC_KEY", r.get("key", ""))
    assign("REC_OWNER_UID", r.get("owner", {}).get("uid", ""))
    assign("REC_ATTACHMENTS", len(r.get("attachments") or []))
    assign("REC_ARCHIVED", "1" if r.get("archived_at") else "0")
    dests = r.get("state", {}).get("destinations") or []
    assign_array("REC_DESTS", [d.get("name", "") for d in dests])
    delivered = [d for d in dests if d.get("state") == "delivered"]
    assign("REC_DELIVERED_BY", delivered[0].get("name", "") if delivered else "")
    for d in dests:
        n = "".join(c if c.isascii() and c.isalnum() else "_" for c in d.get("name", ""))
        assign(f"REC_{n}_STATE", d.get("state", ""))
        assign(f"REC_{n}_ATTEMPTS", d.get("attempts", 0))
        assign(f"REC_{n}_TICKET", d.get("ticket_id", ""))
        assign(f"REC_{n}_REMOTE", d.get("remote_status", ""))
        assign(f"REC_{n}_ERROR", d.get("last_error", ""))
        assign(f"REC_{n}_DELIVERED_AT", d.get("delivered_at", ""))


def rt_items():
    """One line per item of an RT collection: id, then Filename or Subject."""
    for it in json.load(sys.stdin).get("items") or []:
        name = it.get("Filename", it.get("Subject", ""))
        print(f"{it.get('id', '')}\t{name}")


def rt_content():
    sys.stdout.buffer.write(base64.b64decode(json.load(sys.stdin).get("Content", "")))


def rt_field(name):
    v = json.load(sys.stdin).get(name, "")
    print(v if isinstance(v, str) else json.dumps(v))


def mail(maildir, key, out):
    """Messages in MAILDIR/new whose X-Firstline-Key is KEY; the first one's
    headers and attachments."""
    new = os.path.join(maildir, "new")
    matches = []
    for name in sorted(os.listdir(new)):
        with open(os.path.join(new, name), "rb") as f:
            msg = email.message_from_bytes(f.read(), policy=email.policy.default)
        if str(msg.get("X-Firstline-Key", "")).strip() == key:
            matches.append((name, msg))
    assign("MAIL_COUNT", len(matches))
    if not matches:
        return
    name, msg = matches[0]
    assign("MAIL_FILE", name)
    for header, var in (("Subject", "MAIL_SUBJECT"), ("X-TLS", "MAIL_TLS"),
                        ("X-Auth-User", "MAIL_AUTH_USER"), ("X-RcptTo", "MAIL_RCPT"),
                        ("Message-ID", "MAIL_MESSAGE_ID")):
        assign(var, str(msg.get(header, "")).strip())
    names = []
    os.makedirs(out, exist_ok=True)
    for i, part in enumerate(msg.iter_attachments()):
        names.append(part.get_filename() or "")
        with open(os.path.join(out, str(i)), "wb") as f:
            f.write(part.get_payload(decode=True) or b"")
    assign_array("MAIL_ATT_NAMES", names)


def main(argv):
    cmd, args = (argv[1], argv[2:]) if len(argv) > 1 else ("", [])
    if cmd == "record" and len(args) == 1:
        record(args[0])
    elif cmd == "rt-items" and not args:
        rt_items()
    elif cmd == "rt-content" and not args:
        rt_content()
    elif cmd == "rt-field" and len(args) == 1:
        rt_field(args[0])
    elif cmd == "mail" and len(args) == 3:
        mail(*args)
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
