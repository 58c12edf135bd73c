"""Models audited by django-auditlog: the patients' records, and the clinic's stock, orders and
appointment slots (the benign side)."""

from __future__ import annotations

from auditlog.registry import auditlog
from django.db import models


class Patient(models.Model):
    first_name = models.CharField(max_length=80)
    last_name = models.CharField(max_length=80)
    dob = models.DateField(null=True)
    ssn = models.CharField(max_length=20, blank=True)
    mrn = models.CharField(max_length=20, unique=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.CharField(max_length=120, blank=True)
    street = models.CharField(max_length=120, blank=True)
    city = models.CharField(max_length=80, blank=True)
    zip = models.CharField(max_length=10, blank=True)
    licence = models.CharField(max_length=30, blank=True)
    status = models.CharField(max_length=12, default="active")
    language = models.CharField(max_length=5, default="en")
    portal_enabled = models.BooleanField(default=False)

    class Meta:
        app_label = "fifth_site"

    def __str__(self) -> str:
        return f"{self.last_name}, {self.first_name} ({self.mrn})"


class Coverage(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE)
    member_id = models.CharField(max_length=30)
    mbi = models.CharField(max_length=20, blank=True)
    plan = models.CharField(max_length=20)
    account = models.CharField(max_length=30, blank=True)
    card = models.CharField(max_length=25, blank=True)
    verified = models.BooleanField(default=False)

    class Meta:
        app_label = "fifth_site"

    def __str__(self) -> str:
        return f"{self.plan} coverage {self.member_id}"


class Product(models.Model):
    sku = models.CharField(max_length=20)
    name = models.CharField(max_length=80)
    price = models.DecimalField(max_digits=8, decimal_places=2)
    stock = models.IntegerField(default=0)

    class Meta:
        app_label = "fifth_site"

    def __str__(self) -> str:
        return f"{self.sku} {self.name}"


class Order(models.Model):
    number = models.CharField(max_length=20)
    status = models.CharField(max_length=12, default="new")
    qty = models.IntegerField()
    ship_date = models.DateField(null=True)
    warehouse = models.CharField(max_length=10)

    class Meta:
        app_label = "fifth_site"

    def __str__(self) -> str:
        return f"Order {self.number}"


class Slot(models.Model):
    clinic = models.CharField(max_length=20)
    day = models.DateField()
    start = models.CharField(max_length=5)
    minutes = models.IntegerField()
    status = models.CharField(max_length=10, default="open")

    class Meta:
        app_label = "fifth_site"

    def __str__(self) -> str:
        return f"{self.clinic} {self.day} {self.start}"


for model in (Patient, Coverage, Product, Order, Slot):
    auditlog.register(model)
