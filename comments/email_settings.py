"""A moderator's own page in the admin: which moderation emails they get (``ModeratorProfile``).

Each moderator chooses for themselves, as Discourse and GitHub let each person choose; there
is no user id in the URL, so nobody can change another's. Who gets which email is decided in
``comments.notifications._moderators``, which reads the choice.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from comments.decisions import can_moderate
from comments.models import ModeratorProfile
from comments.notifications import MODERATORS_GROUP, who_chose


class EmailsForm(forms.ModelForm):
    class Meta:
        model = ModeratorProfile
        fields = ["emails"]
        # The admin's class for a list of radio buttons (ModelAdmin.radio_fields).
        widgets = {
            "emails": forms.RadioSelect(
                attrs={"class": "radiolist", "aria-describedby": "email-settings-help"}
            )
        }
        labels = {"emails": "Moderation emails"}


def may_choose(user) -> bool:
    """Staff who moderate (the permission) or are in the Moderators group (who get the
    emails even if an administrator took the permission from the group)."""
    return (
        user.is_active
        and user.is_staff
        and (can_moderate(user) or user.groups.filter(name=MODERATORS_GROUP).exists())
    )


def is_recipient(user) -> bool:
    """Whether the moderators' emails go to ``user`` at all (``_moderators``), their choice
    aside."""
    return user.is_superuser or user.groups.filter(name=MODERATORS_GROUP).exists()


def email_settings(request):
    """Your email settings: the moderator's own choice of moderation emails. Wrapped in
    ``admin_view`` (staff login) by the root URLconf."""
    user = request.user
    if not may_choose(user):
        raise PermissionDenied
    # No row until the first save: the default is "every held comment".
    profile = ModeratorProfile.objects.filter(user=user).first() or ModeratorProfile(user=user)
    before = profile.get_emails_display()
    form = EmailsForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        if form.has_changed():
            form.save()
            # In the account's history, for an administrator asking why someone got no email.
            LogEntry.objects.log_actions(
                user_id=user.pk,
                queryset=get_user_model().objects.filter(pk=user.pk),
                action_flag=CHANGE,
                change_message=(
                    f"Moderation emails: {profile.get_emails_display()} (was: {before})."
                ),
                single_object=True,
            )
        messages.success(request, f"Your email settings are saved: {profile.get_emails_display()}.")
        return redirect(reverse("comments-email-settings"))
    change_address_url = ""
    if user.has_perm("auth.change_user"):
        change_address_url = reverse("admin:auth_user_change", args=[user.pk])
    chose = who_chose()
    context = {
        **admin.site.each_context(request),
        "title": "Your email settings",
        "form": form,
        "address": user.email,
        "change_address_url": change_address_url,
        "is_recipient": is_recipient(user),
        # "None" does not silence the last one who gets urgent emails (``_moderators``).
        "alone": chose["urgent"] == [user.pk],
        # Nobody would be told of a held comment (it waits in the queue all the same).
        "held_alone": chose["held"] == [user.pk],
        "held_nobody": not chose["held"],
    }
    return TemplateResponse(request, "admin/comments/email_settings.html", context)
