"""A DRF serializer and a Django form for patient intake, with the validators apps write."""

from __future__ import annotations

import datetime

from django import forms
from rest_framework import serializers

from clinic.models import Patient

STATES = ["AL", "CA", "IA", "ID", "IL", "IN", "LA", "MA", "MI", "NM", "NY", "OH", "OR", "TX", "UT"]


class PatientSerializer(serializers.ModelSerializer):
    state = serializers.ChoiceField(choices=STATES)
    email = serializers.EmailField()

    class Meta:
        model = Patient
        fields = ["id", "first_name", "last_name", "dob", "email", "phone", "state", "zip", "mrn"]

    def validate_phone(self, value: str) -> str:
        if sum(c.isdigit() for c in value) < 10:
            raise serializers.ValidationError(f"{value} is not a valid phone number")
        return value

    def validate_dob(self, value: datetime.date) -> datetime.date:
        if value.year < 1935:
            raise serializers.ValidationError(f"Date of birth {value} is implausible")
        return value


class IntakeForm(forms.Form):
    first_name = forms.CharField(max_length=80)
    last_name = forms.CharField(max_length=80)
    dob = forms.DateField(input_formats=["%Y-%m-%d", "%m/%d/%Y"])
    ssn = forms.RegexField(regex=r"^\d{3}-\d{2}-\d{4}$")
    phone = forms.CharField(max_length=40)
    email = forms.EmailField()
    zip = forms.RegexField(regex=r"^\d{5}$")
    street = forms.CharField(max_length=120, required=False)
    city = forms.CharField(max_length=80, required=False)

    def clean_ssn(self) -> str:
        value = self.cleaned_data["ssn"]
        if value.startswith("9"):
            raise forms.ValidationError("SSN %(value)s is not valid", params={"value": value})
        return value

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"]
        if not value[:1].isdigit() and not value.startswith(("(", "+")):
            raise forms.ValidationError(f"Enter a valid phone number (got {value!r}).")
        return value
