"""Pure rules of the work-permit pathways: steps, checklists, deadlines, fees, calendars."""
