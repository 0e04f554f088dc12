from __future__ import annotations

from django.conf import settings
from django.db import models

from wholecouncil.accounts.roles import Role


class Council(models.Model):
    """A local authority: the tenant every other row belongs to."""

    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=200)
    is_demo = models.BooleanField(
        default=False, help_text="A fictional council: every page says so and no figure is real."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user's role in one council. A user may belong to several councils (e.g. a shared management team)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=32, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "council"], name="membership_one_role_per_council")
        ]
        ordering = ["council__name", "user__username"]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} at {self.council}"


class Partnership(models.Model):
    """Two or more councils sharing a management team or joint services."""

    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    councils = models.ManyToManyField(Council, related_name="partnerships")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
