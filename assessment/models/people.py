from django.db import models
from django.db.models.functions import Lower

from .organisation import Department, Level, Organisation


class Person(models.Model):
    """A roster entry. Never linked to a response."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="people")
    name = models.CharField(max_length=200)
    email = models.EmailField()
    department = models.ForeignKey(Department, on_delete=models.RESTRICT, related_name="people")
    level = models.ForeignKey(Level, on_delete=models.RESTRICT, related_name="people")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"
        constraints = [
            models.UniqueConstraint(
                "organisation", Lower("email"), name="person_unique_email_per_organisation"
            ),
        ]

    def __str__(self) -> str:
        return self.name
