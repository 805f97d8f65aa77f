"""Forms built by staff with Wagtail's form builder: membership request, contact.

Submissions are stored (Wagtail's FormSubmission) and e-mailed to the addresses set on the
page. A consent box is always added; submissions are deleted after
FORM_SUBMISSION_RETENTION_DAYS by ``manage.py purge_form_submissions``.
"""

from django import forms
from django.conf import settings
from django.db import models
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.forms import FormBuilder
from wagtail.contrib.forms.models import AbstractEmailForm, AbstractFormField
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.fields import RichTextField
from wagtail.search import index

from core.models import BasePage
from core.public_forms import PublicFormProtection, rate_limited

CONSENT_FIELD = "consentement"


class SpamProtectedForm(PublicFormProtection, forms.Form):
    """The base of every staff-built form: honeypot and signed start time (core/public_forms.py)."""


def form_rate_limited(request):
    return rate_limited(request, "contact", settings.FORM_RATE_LIMIT, settings.FORM_RATE_WINDOW)


class FormField(AbstractFormField):
    page = ParentalKey("FormPage", on_delete=models.CASCADE, related_name="form_fields")


class ProtectedFormBuilder(FormBuilder):
    """Builds the staff's fields on top of the spam protection, then adds the consent box."""

    def __init__(self, fields, consent_label=""):
        super().__init__(fields)
        self.consent_label = consent_label

    def get_form_class(self):
        fields = dict(self.formfields)
        fields[CONSENT_FIELD] = forms.BooleanField(
            label=self.consent_label or _("J'accepte que ces informations servent à me répondre."),
            required=True,
            error_messages={
                "required": _("Cochez cette case pour que nous puissions vous répondre.")
            },
        )
        return type("ProtectedForm", (SpamProtectedForm,), fields)


class FormPage(AbstractEmailForm, BasePage):
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    thank_you_text = RichTextField(
        _("message de remerciement"), blank=True, features=["bold", "italic", "link"]
    )
    consent_text = models.CharField(
        _("case de consentement"),
        max_length=300,
        default=_(
            "J'accepte que ces informations servent à traiter ma demande. Elles sont effacées après un an."
        ),
        help_text=_(
            "Case à cocher obligatoire ; dites à quoi servent les données et combien de temps elles sont gardées."
        ),
    )
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page sur les données personnelles"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = [
        *AbstractEmailForm.content_panels,
        FormSubmissionsPanel(),
        FieldPanel("intro"),
        InlinePanel("form_fields", label=_("Champs du formulaire")),
        MultiFieldPanel(
            [FieldPanel("consent_text"), FieldPanel("privacy_page")],
            heading=_("Données personnelles"),
        ),
        FieldPanel("thank_you_text"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("from_address"), FieldPanel("to_address")]),
                FieldPanel("subject"),
            ],
            heading=_("Courriel à l'équipe"),
        ),
    ]
    search_fields = [*AbstractEmailForm.search_fields, index.SearchField("intro")]
    promote_panels = BasePage.promote_panels
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    template = "contact/form_page.html"
    landing_page_template = "contact/form_page_landing.html"

    class Meta:
        verbose_name = _("formulaire")
        verbose_name_plural = _("formulaires")

    def get_form_class(self):
        return ProtectedFormBuilder(self.get_form_fields(), self.consent_text).get_form_class()

    def get_form(self, *args, **kwargs):
        kwargs.pop("page", None)
        kwargs.pop("user", None)
        return self.get_form_class()(*args, **kwargs)

    def process_form_submission(self, form):
        submission = self.get_submission_class().objects.create(
            form_data=form.submitted_data(), page=self
        )
        if self.to_address:
            self.send_mail(form)
        return submission

    def render_email(self, form):
        lines = []
        data = form.submitted_data()
        for field in form:
            if field.name in data:
                value = data[field.name]
                if isinstance(value, list):
                    value = ", ".join(value)
                lines.append(f"{field.label}: {value}")
        return "\n".join(lines)

    def serve(self, request, *args, **kwargs):
        if request.method == "POST" and form_rate_limited(request):
            form = self.get_form(request.POST)
            form.regenerate_stamp()
            context = self.get_context(request)
            context.update(form=form, rate_limited=True)
            return TemplateResponse(request, self.get_template(request), context, status=429)
        response = super().serve(request, *args, **kwargs)
        form = (getattr(response, "context_data", None) or {}).get("form")
        if request.method == "POST" and form is not None and form.is_bound:
            form.regenerate_stamp()  # the re-shown form is timed afresh
        return response
