from django import forms

from .models import ModerationPreference


class ModerationPreferenceForm(forms.ModelForm):
    class Meta:
        model = ModerationPreference
        fields = ["daily_summary"]
