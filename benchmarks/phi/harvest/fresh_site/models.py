"""Patients, and the records without a patient in them (products, slots, stock, orders)."""

from __future__ import annotations

from django.db import models

STATES = [
    (s, s)
    for s in ["CA", "IA", "ID", "IL", "IN", "LA", "MA", "MI", "NM", "NY", "OH", "OR", "TX", "UT"]
]


class Patient(models.Model):
    mrn = models.CharField("MRN", max_length=12, unique=True)
    first_name = models.CharField(max_length=30)
    last_name = models.CharField(max_length=30)
    dob = models.DateField("date of birth")
    ssn = models.CharField("SSN", max_length=11, unique=True, null=True, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=16, blank=True)
    street = models.CharField(max_length=40, blank=True)
    city = models.CharField(max_length=30, blank=True)
    state = models.CharField(max_length=2, choices=STATES, blank=True)
    zip = models.CharField("ZIP code", max_length=5, blank=True)
    member_id = models.CharField("member ID", max_length=12, blank=True)

    class Meta:
        app_label = "fresh_site"

    def __str__(self) -> str:
        return f"{self.last_name}, {self.first_name}"


class Coverage(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE)
    payer = models.CharField(max_length=12)
    member_id = models.CharField("member ID", max_length=12)
    mbi = models.CharField("MBI", max_length=11, blank=True)
    account = models.CharField("billing account", max_length=12)

    class Meta:
        app_label = "fresh_site"

    def __str__(self) -> str:
        return f"{self.payer} {self.member_id}"


class Product(models.Model):
    sku = models.CharField("SKU", max_length=12, unique=True)
    name = models.CharField(max_length=40)
    price = models.DecimalField(max_digits=7, decimal_places=2)
    stock = models.PositiveIntegerField(default=0)

    class Meta:
        app_label = "fresh_site"

    def __str__(self) -> str:
        return f"{self.sku} {self.name}"


class Slot(models.Model):
    starts_at = models.DateTimeField()
    room = models.CharField(max_length=8)
    minutes = models.PositiveSmallIntegerField()
    capacity = models.PositiveSmallIntegerField(default=1)

    class Meta:
        app_label = "fresh_site"

    def __str__(self) -> str:
        return f"Slot {self.starts_at:%Y-%m-%d %H:%M} in {self.room}"


class StockItem(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE)
    location = models.CharField(max_length=10)
    quantity = models.IntegerField()
    expires_on = models.DateField(null=True, blank=True)

    class Meta:
        app_label = "fresh_site"

    def __str__(self) -> str:
        return f"{self.product.sku}@{self.location}"


class Order(models.Model):
    number = models.CharField(max_length=16, unique=True)
    placed_on = models.DateField()
    total = models.DecimalField(max_digits=8, decimal_places=2)

    class Meta:
        app_label = "fresh_site"

    def __str__(self) -> str:
        return f"Order {self.number}"
