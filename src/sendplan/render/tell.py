"""The terminal summary of ``sendplan tell`` and ``calendar --invitations``: who gets what."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sendplan.tell.outbox import Outbox


def summary_text(box: Outbox, drafts: bool) -> str:
    """One line per person: their name and address, what they get; then the people the
    LANO tells in person (no email address, or named only in words)."""
    from sendplan.words import plural

    by_id = {d.to.id: d for d in box.drafts}
    lines = []
    for p in box.people:
        r = p.recipient
        what = [plural(len(p.requests), "session")]
        if p.cancels:
            what.append(plural(len(p.cancels), "cancellation"))
        draft = by_id.get(r.id)
        if drafts:
            told = f"draft {draft.filename}: {draft.what}" if draft else "nothing changed: no draft"
            what.append(told)
        lines.append(f"  {r.label} <{r.email}>: {', '.join(what)}")
    head = "Drafts to send" if drafts else "Invitations"
    out = [f"{head} ({box.title}):", *lines]
    if box.in_person:
        out += ["Via the LANO (no email address in the case file, or named only in words):"]
        for who, told in box.in_person:
            # First invitations: how many (the LANO's draft lists them); after a
            # re-plan, each change.
            count = plural(len(told.split("; ")), "session")
            out.append(f"  {who}: {told if box.replanned else count}")
    return "\n".join(out) + "\n"
