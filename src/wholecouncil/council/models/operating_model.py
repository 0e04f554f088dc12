from __future__ import annotations

from django.db import models

from wholecouncil.council.models.tenancy import Council


class OperatingModel(models.Model):
    """The council's target operating model: which template its layers came from, and its name."""

    class Template(models.TextChoices):
        SEVEN_LAYER = "seven_layer", "Seven-layer model"
        SIX_FUNCTION = "six_function", "Six-function model"
        CUSTOM = "custom", "Custom layers"

    council = models.OneToOneField(Council, on_delete=models.CASCADE, related_name="operating_model")
    template = models.CharField(max_length=20, choices=Template.choices, default=Template.SEVEN_LAYER)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.council} operating model ({self.get_template_display()})"


class _Ordered(models.Model):
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    code = models.SlugField(max_length=60)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position", "id"]


class Layer(_Ordered):
    """A layer (or function) of the operating model, e.g. 'Customer management'."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="layers")
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)

    class Meta(_Ordered.Meta):
        constraints = [models.UniqueConstraint(fields=["council", "code"], name="layer_unique_code")]

    def __str__(self) -> str:
        return self.name


class Lever(_Ordered):
    """A lever (key line of enquiry) that moves cost, e.g. 'Demand management'."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="levers")
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)

    class Meta(_Ordered.Meta):
        constraints = [models.UniqueConstraint(fields=["council", "code"], name="lever_unique_code")]

    def __str__(self) -> str:
        return self.name


class DesignPrinciple(_Ordered):
    """A design principle with the tests a proposal is held to: what we will and won't do."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="design_principles")
    title = models.CharField(max_length=120)
    summary = models.CharField(max_length=300)
    we_will = models.TextField(blank=True, help_text="One test per line")
    we_wont = models.TextField(blank=True, help_text="One test per line")

    class Meta(_Ordered.Meta):
        constraints = [models.UniqueConstraint(fields=["council", "code"], name="principle_unique_code")]

    def __str__(self) -> str:
        return self.title

    @property
    def we_will_list(self) -> list[str]:
        return [line.strip() for line in self.we_will.splitlines() if line.strip()]

    @property
    def we_wont_list(self) -> list[str]:
        return [line.strip() for line in self.we_wont.splitlines() if line.strip()]
