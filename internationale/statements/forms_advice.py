"""Forms of the advice pages: they parse; the services in advice.py decide."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from internationale.core.forms import SubmissionForm
from internationale.organizations.models import Organization

from .advice import MAX_REASON, MAX_SUBJECT, MAX_TEXT
from .models import Advice


class AdviceForm(SubmissionForm):
    sender = forms.ModelChoiceField(
        queryset=Organization.objects.none(),
        label=_("Given by"),
        empty_label=None,
        help_text=_("The organization whose advice this is."),
    )
    receiver = forms.CharField(
        label=_("To"),
        max_length=200,
        help_text=_(
            "The organization's exact name, or its address: the last part of its page's "
            "address in the directory (for /organizations/docks-kr/, docks-kr)."
        ),
    )
    subject = forms.CharField(label=_("Subject"), max_length=MAX_SUBJECT)
    text = forms.CharField(
        label=_("Advice"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 10, "dir": "auto"}),
        help_text=_(
            "Read only by the admins and secretaries of your organization and of the one you "
            "advise."
        ),
    )

    def __init__(self, *args: Any, organizations: list[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sender"].queryset = Organization.objects.filter(  # type: ignore[attr-defined]
            pk__in=[o.pk for o in organizations]
        ).order_by("name")
        self.fields["subject"].widget.attrs["dir"] = "auto"


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Your answer"), choices=Advice.Answer.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
    )


class HistoryFilter(forms.Form):
    direction = forms.ChoiceField(
        label=_("Advice"),
        required=False,
        choices=[("", _("Given and received")), ("given", _("Given")), ("received", _("Received"))],
    )
    answer = forms.ChoiceField(
        label=_("Answer"),
        required=False,
        choices=[("", _("Any answer")), *Advice.Answer.choices],
    )
