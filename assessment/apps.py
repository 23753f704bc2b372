from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "assessment"
    verbose_name = "Centricity"
    default_auto_field = "django.db.models.BigAutoField"
