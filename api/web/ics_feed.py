"""A team's open deadlines as an iCalendar feed (icalendar), one event per open step.

Each event's UID is the hire and step, so a calendar that subscribed sees a moved deadline
as the same event, moved (SEQUENCE and LAST-MODIFIED follow the deadline's changes).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from icalendar import Calendar, Event

from store.worklist import OpenStep


def feed(steps: list[OpenStep], base_url: str, now: datetime) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//hirepath//deadlines//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "hirepath deadlines")
    for item in steps:
        hire, step = item.hire, item.step
        if step.due_on is None:
            continue
        event = Event()
        event.add("uid", f"{hire.id}.{step.key}@hirepath")
        event.add("dtstamp", now)
        event.add("dtstart", step.due_on)
        event.add("dtend", step.due_on + timedelta(days=1))
        event.add("summary", f"Due: {step.title} ({hire.candidate_name})")
        event.add("description", f"{hire.position_title}. {base_url}/hires/{hire.id}")
        event.add("url", f"{base_url}/hires/{hire.id}")
        event.add("sequence", int(step.due_on.toordinal()) % 100_000)  # grows when it moves later
        event.add("last-modified", hire.updated_at)
        calendar.add_component(event)
    return calendar.to_ical()
