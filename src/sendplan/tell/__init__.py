"""Telling people: invitations that update themselves and a draft email per person.

The LANO keeps local leaders and practitioners aware of the timetable "and
any changes to it" (handbook para 96) and sets up the visits (para 114).
After a re-plan (``sendplan timetable --from``) this package turns the saved
timetable into what the LANO sends:

* :mod:`.people`: who is who: the case's people, providers and inspectors
  with their email addresses; the LANO organises (and must have an email);
* :mod:`.invitations`: per person with an email, an iCalendar file of their
  sessions as the organiser's request (``METHOD:REQUEST``), with stable UIDs
  and one ``SEQUENCE`` per UID for every recipient, raised on every change
  and read back from the invitations sent before; removed sessions go out as
  ``METHOD:CANCEL`` under their old UID (the saved timetable's record of
  cancelled sessions, :class:`~sendplan.timetable.results.Cancelled`);
* :mod:`.why`: why a session moved, in words, from the case file;
* :mod:`.drafts`: one unsent draft email (``.eml``, ``X-Unsent: 1``) per
  person to tell, in plain English, their updated invitations attached.

Children's data: children and families are never attendees (only the case's
people, providers and inspectors, by their work addresses); sessions are named
by the case's pseudonymous ids; nobody is sent more than their own sessions.
Plain functions: no terminal, no clock (the moment is passed in).
"""
