"""Reads what e2e.sh checks: the service's spool list, RT's REST2 replies and
the messages the SMTP sink stored. Prints facts as shell assignments (for
`eval`) or raw bytes; e2e.sh makes the assertions, so this file decides
nothing about passing.

  facts.py record REF     < spool-list.json  -> REC_* assignments
  facts.py responses ID   < spool-list.json  -> NR_* assignments: the
                                                notice-response reports
                                                of notice ID, oldest first
  facts.py responses-file < notice-responses.json -> RJ_* assignments
  facts.py notice-status ID < status.json    -> NS_* assignments
  facts.py notice-view ID < view.json        -> NV_* assignments
  facts.py rt-items       < rt-reply.json    -> "id<TAB>name[<TAB>type]"
                                                per item
  facts.py rt-content     < attachment.json  -> the decoded bytes
  facts.py rt-field NAME  < ticket.json      -> the field as text
  facts.py mail MAILDIR KEY OUT              -> MAIL_* assignments; the
                                                first match's attachments
                                                written to OUT/0, OUT/1, ...

Uses only the standard library of Debian's python3 (the SMTP sink's own
interpreter, so it is there whenever the sink is).
"""

import base64
import datetime
import email
import email.policy
import json
import os
import re
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


def epoch_ms(ts):
    """Milliseconds since the epoch of an RFC 3339 time with any number of
    fraction digits (Go writes up to 9, which datetime cannot read); ""
    when ts is not one."""
    m = re.fullmatch(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)", ts or "")
    if not m:
        return ""
    zone = "+00:00" if m.group(3) == "Z" else m.group(3)
    whole = datetime.datetime.fromisoformat(m.group(1) + zone)
    return int(whole.timestamp()) * 1000 + int((m.group(2) or "0")[:3].ljust(3, "0"))


def answers(title, notice_id):
    """Whether a notice-response report's title names notice_id: the
    service writes 'Notice ID "Title": N acknowledged, M "me too"', or
    'Notice ID: ...' when the notice has no title."""
    return title.startswith(f"Notice {notice_id} ") or title.startswith(f"Notice {notice_id}:")


def responses(notice_id):
    """The reports the service sent for the acknowledgements and "me too"
    of notice_id (category notice-response), oldest first."""
    recs = [r for r in json.load(sys.stdin) or [] if r.get("category") == "notice-response"]
    assign("NR_ALL", len(recs))
    found = sorted((r for r in recs if answers(r.get("title", ""), notice_id)),
                   key=lambda r: epoch_ms(r.get("created_at", "")) or 0)
    assign("NR_COUNT", len(found))
    columns = {
        "NR_REFS": lambda r: r.get("reference", ""),
        "NR_KEYS": lambda r: r.get("key", ""),
        "NR_OWNERS": lambda r: r.get("owner", {}).get("uid", ""),
        "NR_CREATED_MS": lambda r: epoch_ms(r.get("created_at", "")),
        "NR_SEVERITIES": lambda r: r.get("severity", ""),
        "NR_TITLES": lambda r: r.get("title", ""),
        "NR_ATTACHMENTS": lambda r: ",".join(a.get("name", "") for a in r.get("attachments") or []),
        "NR_DELIVERED_BY": lambda r: ",".join(d.get("name", "") for d in delivered(r)),
        "NR_TICKETS": lambda r: ",".join(d.get("ticket_id", "") for d in delivered(r)),
    }
    for name, column in columns.items():
        assign_array(name, [column(r) for r in found])


def delivered(rec):
    return [d for d in rec.get("state", {}).get("destinations") or [] if d.get("state") == "delivered"]


def responses_file():
    """The notice-responses.json attachment of a batch; RJ_ERROR says why
    it could not be read. RJ_RESPONSES is sorted "uid:user:action"."""
    try:
        doc = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    except ValueError as e:
        assign("RJ_ERROR", f"not JSON: {e}")
        return
    if not isinstance(doc, dict) or not isinstance(doc.get("notice"), dict) \
            or not isinstance(doc.get("responses"), list):
        assign("RJ_ERROR", "not an object with notice and responses")
        return
    assign("RJ_ERROR", "")
    assign("RJ_TYPE", doc.get("type", ""))
    assign("RJ_VERSION", doc.get("version", ""))
    assign("RJ_HOST", doc.get("host", ""))
    n = doc["notice"]
    assign("RJ_NOTICE_ID", n.get("id", ""))
    assign("RJ_NOTICE_TITLE", n.get("title", ""))
    assign("RJ_NOTICE_SEVERITY", n.get("severity", ""))
    rs = [r for r in doc["responses"] if isinstance(r, dict)]
    assign("RJ_COUNT", len(doc["responses"]))
    assign_array("RJ_RESPONSES", sorted(f"{r.get('uid', '')}:{r.get('user', '')}:{r.get('action', '')}" for r in rs))
    assign("RJ_UNTIMED", sum(1 for r in rs if epoch_ms(r.get("at", "")) == ""))


def notice_status(notice_id):
    """notice status --json: what the drop folder gave, and the response
    counts of notice_id."""
    st = json.load(sys.stdin)
    assign("NS_ACTIVE", st.get("active", 0))
    assign("NS_DROP_ERROR", st.get("drop_error", ""))
    assign_array("NS_DROP_FILES", [f"{f.get('name', '')}:{f.get('error') or 'accepted'}"
                                   for f in st.get("drop_files") or []])
    for r in st.get("responses") or []:
        if r.get("id") == notice_id:
            for field in ("seen", "acked", "me_too", "dismissed", "sent"):
                assign(f"NS_{field.upper()}", r.get(field, 0))


def notice_view(notice_id):
    """A caller's view (the reply to a notice action): whether notice_id is
    acknowledged and marked "me too" for them."""
    items = [i for i in json.load(sys.stdin).get("items") or [] if i.get("id") == notice_id]
    assign("NV_FOUND", len(items))
    i = items[0] if items else {}
    assign("NV_ACKED", "1" if i.get("acked") else "0")
    assign("NV_ME_TOO", "1" if i.get("me_too") else "0")


def rt_items():
    """One line per item of an RT collection: id, then Filename or Subject,
    then ContentType when the reply has it."""
    for it in json.load(sys.stdin).get("items") or []:
        name = it.get("Filename", it.get("Subject", ""))
        extra = f"\t{it['ContentType']}" if "ContentType" in it else ""
        print(f"{it.get('id', '')}\t{name}{extra}")


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
    elif cmd == "responses" and len(args) == 1:
        responses(args[0])
    elif cmd == "responses-file" and not args:
        responses_file()
    elif cmd == "notice-status" and len(args) == 1:
        notice_status(args[0])
    elif cmd == "notice-view" and len(args) == 1:
        notice_view(args[0])
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
