"""Councils and the people who work in them."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from wholecouncil.accounts.roles import Role
from wholecouncil.council import defaults
from wholecouncil.council.audit import Actor, audit_record
from wholecouncil.council.models import Council, DesignPrinciple, Layer, Lever, Membership, OperatingModel
from wholecouncil.council.services.errors import DomainError
from wholecouncil.council.signals import council_created


@transaction.atomic
def council_create(*, slug: str, name: str, is_demo: bool = False, actor: Actor = None) -> Council:
    if Council.objects.filter(slug=slug).exists():
        raise DomainError(f"A council with the short name '{slug}' already exists.")
    council = Council.objects.create(slug=slug, name=name, is_demo=is_demo)
    OperatingModel.objects.create(council=council, template=OperatingModel.Template.SEVEN_LAYER)
    for i, layer in enumerate(defaults.SEVEN_LAYER):
        Layer.objects.create(
            council=council, code=layer.code, name=layer.name, description=layer.description, position=i
        )
    for i, lever in enumerate(defaults.LEVERS):
        Lever.objects.create(
            council=council, code=lever.code, name=lever.name, description=lever.description, position=i
        )
    for i, p in enumerate(defaults.PRINCIPLES):
        DesignPrinciple.objects.create(
            council=council,
            code=p.code,
            title=p.title,
            summary=p.summary,
            we_will="\n".join(p.we_will),
            we_wont="\n".join(p.we_wont),
            position=i,
        )
    audit_record(
        council=council, actor=actor, action="council.create", obj=council, after={"slug": slug, "name": name}
    )
    council_created.send(sender=Council, council=council)
    return council


@transaction.atomic
def membership_set(
    *,
    council: Council,
    username: str,
    role: str,
    actor: Actor = None,
    email: str = "",
    password: str | None = None,
) -> Membership:
    """Give a user (created if new) a role in a council."""
    if role not in Role.values:
        raise DomainError(f"'{role}' is not a role. Choose one of: {', '.join(Role.values)}.")
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(username=username, defaults={"email": email})
    if created:
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
    existing = Membership.objects.filter(council=council, user=user).first()
    before = {"role": existing.role} if existing else None
    membership, _ = Membership.objects.update_or_create(council=council, user=user, defaults={"role": role})
    audit_record(
        council=council,
        actor=actor,
        action="membership.set",
        obj=membership,
        object_repr=username,
        before=before,
        after={"role": role},
    )
    return membership
