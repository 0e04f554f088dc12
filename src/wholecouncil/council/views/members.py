"""People who can sign in to the council, and their roles."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import password_validation
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from wholecouncil.accounts.roles import Perm, Role
from wholecouncil.council import selectors, services
from wholecouncil.council.models import Membership
from wholecouncil.council.permissions import can, council_view, current_council


class MemberForm(forms.Form):
    username = forms.CharField(
        label="Username",
        max_length=150,
        error_messages={"required": "Enter a username"},
        help_text="Letters, numbers and @ . + - _ only, e.g. jo.bloggs",
    )
    email = forms.EmailField(
        label="Email address",
        required=False,
        error_messages={"invalid": "Enter an email address like name@example.gov.uk"},
    )
    role = forms.ChoiceField(
        label="Role",
        choices=Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a role"},
    )
    password = forms.CharField(
        label="Temporary password",
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text="Only for a new account. Give it to the person securely; they can then change it.",
    )

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        User.username_validator(username)
        return username

    def clean(self) -> dict:
        data = super().clean() or {}
        username, password = data.get("username"), data.get("password")
        if username and not User.objects.filter(username=username).exists():
            if not password:
                self.add_error("password", "Enter a temporary password for the new account")
            else:
                try:
                    password_validation.validate_password(password, User(username=username))
                except forms.ValidationError as exc:
                    self.add_error("password", exc)
        return data


class RoleForm(forms.Form):
    role = forms.ChoiceField(
        label="Role",
        choices=Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a role"},
    )


@council_view(Perm.VIEW)
def index(request: HttpRequest) -> HttpResponse:
    members = selectors.members(current_council(request))
    return render(
        request, "council/members.html", {"members": members, "can_manage": can(request, Perm.MANAGE_MEMBERS)}
    )


@council_view(Perm.MANAGE_MEMBERS)
def add(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.membership_set(
            council=council,
            username=data["username"],
            role=data["role"],
            email=data["email"],
            password=data["password"] or None,
            actor=request.user,
        )
        messages.success(request, f"{data['username']} can now sign in to {council.name}.")
        return redirect("council:members", council.slug)
    return render(request, "council/member_form.html", {"form": form, "title": "Add a person"})


@council_view(Perm.MANAGE_MEMBERS)
def change_role(request: HttpRequest, pk: int) -> HttpResponse:
    council = current_council(request)
    membership = Membership.objects.filter(council=council, pk=pk).select_related("user").first()
    if membership is None:
        raise Http404
    form = RoleForm(request.POST or None, initial={"role": membership.role})
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_set(
                council=council,
                username=membership.user.get_username(),
                role=form.cleaned_data["role"],
                actor=request.user,
            )
        except services.DomainError as exc:
            form.add_error("role", str(exc))
        else:
            messages.success(request, f"{membership.user.get_username()}'s role changed.")
            return redirect("council:members", council.slug)
    return render(
        request,
        "council/member_form.html",
        {"form": form, "title": f"Change {membership.user.get_username()}'s role"},
    )
