from __future__ import annotations

import datetime

from django.db import models


class Patient(models.Model):
    first_name = models.CharField(max_length=80)
    last_name = models.CharField(max_length=80)
    dob = models.DateField()
    ssn = models.CharField(max_length=16, unique=True, null=True)
    mrn = models.CharField(max_length=20, unique=True)
    phone = models.CharField(max_length=40)
    email = models.CharField(max_length=120, unique=True)
    street = models.CharField(max_length=120)
    city = models.CharField(max_length=80)
    state = models.CharField(max_length=2)
    zip = models.CharField(max_length=10)
    member_id = models.CharField(max_length=20)
    mbi = models.CharField(max_length=16)
    account = models.CharField(max_length=20)
    licence = models.CharField(max_length=24)

    class Meta:
        app_label = "clinic"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(dob__gte=datetime.date(1900, 1, 1)), name="dob_after_1900"
            )
        ]

    def __str__(self) -> str:
        return f"{self.last_name}, {self.first_name}"


class Event(models.Model):
    name = models.CharField(max_length=80)
    day = models.DateField()
    cache_key = models.CharField(max_length=80)
    rows = models.IntegerField()
    status = models.IntegerField()

    class Meta:
        app_label = "clinic"


class Order(models.Model):
    number = models.CharField(max_length=40, unique=True)
    invoice = models.CharField(max_length=40)
    total = models.DecimalField(max_digits=10, decimal_places=2)
    created = models.DateTimeField()

    class Meta:
        app_label = "clinic"


class Visit(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE)
    reason = models.CharField(max_length=80)
    day = models.DateField()

    class Meta:
        app_label = "clinic"
