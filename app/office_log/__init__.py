"""The office log (DESIGN.md section 2, step 10): the call centre's consultations (a phone call,
WhatsApp, Instagram, e-mail or a visit; topic, region, operator), logged on one line as a call
ends, and the information events (Open Days, briefings, master sessions) with their participants.

For the dashboard and the report to the Operator, `app.office_log.queries` counts them; each
function takes `competition` (a Competition: its entries only; None: all) and Almaty days `start`
and `end`, both included (None: open-ended):

- `consultation_count(competition, start, end, channel=None, region_code=None)` -> int
- `consultations_by_channel(competition, start, end, region_code=None)` -> {Channel: int}, every channel
- `consultations_by_topic(competition, start, end)` -> {Topic: int}, every topic
- `consultations_by_region(competition, start, end)` -> {region code or None: int}, the most first
- `consultations(competition, start, end, channel=None, region_code=None, limit=None)` -> the entries, latest first
- `events(competition, start, end, kind=None)` -> InfoEvent list, latest first
- `event_participants(competition, start, end, kind=None)` -> Participants(events, participants, women,
  neet_youth); women and NEET youth add up the events that counted them
- `events_by_kind(competition, start, end)` -> {EventKind: Participants}, every kind

`app.office_log.exports` writes the log and the events as CSV or XLSX."""
