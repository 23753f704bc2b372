import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("centricity")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Periodic work asks the database who is due; nothing is scheduled days ahead on the broker.
app.conf.beat_schedule = {
    "close-due-rounds": {"task": "assessment.tasks.schedule.close_due_rounds", "schedule": 60.0},
    # Invitations and reminders whose message was lost (the broker was down) go out anyway.
    "resume-dispatches": {"task": "assessment.tasks.schedule.resume_dispatches", "schedule": 60.0},
    "schedule-due-reminders": {
        "task": "assessment.tasks.schedule.schedule_due_reminders",
        "schedule": 300.0,
    },
    "refresh-provisional-reports": {
        "task": "assessment.tasks.reports.reports_refresh_task",
        "schedule": 300.0,
    },
    "reconcile-report-builds": {
        "task": "assessment.tasks.reports.report_builds_reconcile_task",
        "schedule": 300.0,
    },
    # Files of deleted rounds and replaced versions, and any a killed worker left half-saved.
    "sweep-report-downloads": {
        "task": "assessment.tasks.downloads.report_downloads_sweep_task",
        "schedule": 3600.0,
    },
    "apply-retention": {"task": "assessment.tasks.schedule.apply_retention", "schedule": 3600.0},
    "purge-roster-uploads": {
        "task": "assessment.tasks.schedule.purge_roster_uploads",
        "schedule": 3600.0,
    },
}
