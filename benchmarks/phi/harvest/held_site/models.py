"""Patients and the non-patient records (events, orders, invoices) validated beside them."""

from __future__ import annotations

from django.db import models

STATES = [
    (s, s)
    for s in [
        "AL",
        "AK",
        "AZ",
        "CA",
        "CO",
        "FL",
        "GA",
        "IA",
        "ID",
        "IL",
        "IN",
        "LA",
        "MA",
        "MI",
        "NM",
        "NY",
        "OH",
        "OR",
        "TX",
        "UT",
        "WA",
    ]
]
SEXES = [("F", "Female"), ("M", "Male"), ("X", "Unspecified")]


class Patient(models.Model):
    first_name = models.CharField(max_length=30)
    last_name = models.CharField(max_length=30)
    dob = models.DateField("date of birth")
    sex = models.CharField(max_length=1, choices=SEXES)
    mrn = models.CharField(max_length=12, unique=True)
    ssn = models.CharField("SSN", max_length=11, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=20, blank=True)
    street = models.CharField(max_length=60, blank=True)
    city = models.CharField(max_length=40, blank=True)
    state = models.CharField(max_length=2, choices=STATES, blank=True)
    zip = models.CharField("ZIP code", max_length=10, blank=True)
    member_id = models.CharField(max_length=14, blank=True)

    class Meta:
        app_label = "held_site"

    def __str__(self) -> str:
        return f"{self.last_name.upper()}, {self.first_name} (MRN {self.mrn})"


class Event(models.Model):
    title = models.CharField(max_length=40)
    starts_on = models.DateField()
    capacity = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=[("talk", "Talk"), ("clinic", "Clinic")])

    class Meta:
        app_label = "held_site"

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_on})"


class Order(models.Model):
    number = models.CharField(max_length=16, unique=True)
    placed_on = models.DateField()
    status = models.CharField(
        max_length=10, choices=[("new", "New"), ("shipped", "Shipped"), ("void", "Void")]
    )
    contact = models.EmailField(blank=True)

    class Meta:
        app_label = "held_site"

    def __str__(self) -> str:
        return f"Order {self.number}"


class Invoice(models.Model):
    number = models.CharField(max_length=14, unique=True)
    issued_on = models.DateField()
    amount = models.DecimalField(max_digits=8, decimal_places=2)
    order = models.CharField(max_length=16, blank=True)

    class Meta:
        app_label = "held_site"

    def __str__(self) -> str:
        return f"Invoice {self.number}"


PAYERS = [("aetna", "Aetna"), ("bcbs", "Blue Cross Blue Shield"), ("medicare", "Medicare")]


class Coverage(models.Model):
    payer = models.CharField(max_length=10, choices=PAYERS)
    member_id = models.CharField("member ID", max_length=12, unique=True)
    mbi = models.CharField("MBI", max_length=11, blank=True)
    subscriber_dob = models.DateField("subscriber date of birth")
    account = models.BigIntegerField("billing account")

    class Meta:
        app_label = "held_site"
        verbose_name_plural = "coverage"

    def __str__(self) -> str:
        return f"{self.get_payer_display()} member {self.member_id}"


class Contact(models.Model):
    name = models.CharField(max_length=60)
    email = models.EmailField()
    phone = models.CharField(max_length=20)
    last_login_ip = models.GenericIPAddressField(null=True, blank=True)
    licence = models.CharField("driver licence", max_length=14, blank=True)

    class Meta:
        app_label = "held_site"

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


class Address(models.Model):
    street = models.CharField(max_length=40)
    city = models.CharField(max_length=40)
    state = models.CharField(max_length=2, choices=STATES)
    zip = models.CharField("ZIP code", max_length=5)

    class Meta:
        app_label = "held_site"
        verbose_name_plural = "addresses"

    def __str__(self) -> str:
        return f"{self.street}, {self.city}, {self.state} {self.zip}"
