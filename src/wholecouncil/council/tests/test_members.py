from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from wholecouncil.accounts.roles import Role
from wholecouncil.council.models import AuditEvent, Membership


@pytest.mark.django_db
def test_admin_adds_a_person_who_can_then_sign_in(council, client_for) -> None:
    client = client_for(council, Role.ADMIN)
    url = reverse("council:member_add", args=[council.slug])
    response = client.post(
        url,
        {"username": "sam.officer", "email": "", "role": "finance", "password": "plenty-long-passphrase-42"},
    )
    assert response.status_code == 302
    membership = Membership.objects.get(council=council, user__username="sam.officer")
    assert membership.role == Role.FINANCE
    event = AuditEvent.objects.get(council=council, action="membership.set", object_repr="sam.officer")
    assert event.after == {"role": "finance"}
    assert event.actor_label == f"admin-{council.slug}"
    from django.test import Client

    fresh = Client()
    assert fresh.login(username="sam.officer", password="plenty-long-passphrase-42")


@pytest.mark.django_db
def test_new_person_needs_a_strong_password(council, client_for) -> None:
    client = client_for(council, Role.ADMIN)
    url = reverse("council:member_add", args=[council.slug])
    response = client.post(url, {"username": "weak", "role": "finance", "password": ""})
    assert response.status_code == 200
    assert "Enter a temporary password" in response.content.decode()
    response = client.post(url, {"username": "weak", "role": "finance", "password": "password"})
    assert "too common" in response.content.decode()
    assert not get_user_model().objects.filter(username="weak").exists()


@pytest.mark.django_db
def test_change_role_is_audited_with_before_and_after(council, client_for, make_member) -> None:
    client = client_for(council, Role.ADMIN)
    target = make_member(council, Role.PROJECT_MANAGER, username="pat")
    response = client.post(
        reverse("council:member_role", args=[council.slug, target.pk]), {"role": "councillor"}
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.role == Role.COUNCILLOR
    event = AuditEvent.objects.filter(council=council, object_repr="pat").first()
    assert event is not None
    assert event.before == {"role": "project_manager"}
    assert event.after == {"role": "councillor"}


@pytest.mark.django_db
def test_councillor_sees_people_but_cannot_add_or_change(council, client_for, make_member) -> None:
    client = client_for(council, Role.COUNCILLOR)
    listing = client.get(reverse("council:members", args=[council.slug]))
    assert listing.status_code == 200
    assert "Add a person" not in listing.content.decode()
    target = make_member(council, Role.FINANCE, username="fin")
    assert (
        client.post(
            reverse("council:member_role", args=[council.slug, target.pk]), {"role": "admin"}
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("council:member_add", args=[council.slug]),
            {"username": "x", "role": "admin", "password": "plenty-long-passphrase-42"},
        ).status_code
        == 403
    )
    target.refresh_from_db()
    assert target.role == Role.FINANCE


@pytest.mark.django_db
def test_cannot_change_role_of_another_councils_member(
    council, make_council, client_for, make_member
) -> None:
    other = make_council()
    outsider = make_member(other, Role.FINANCE, username="outsider")
    client = client_for(council, Role.ADMIN)
    response = client.post(
        reverse("council:member_role", args=[council.slug, outsider.pk]), {"role": "admin"}
    )
    assert response.status_code == 404
    outsider.refresh_from_db()
    assert outsider.role == Role.FINANCE
