"""django-import-export resources over the clinic's models."""

from __future__ import annotations

from import_export import fields, resources, widgets

from fresh_site.models import Coverage, Order, Patient, Product, Slot, StockItem


class PatientResource(resources.ModelResource):
    class Meta:
        model = Patient
        import_id_fields = ("mrn",)
        fields = ("mrn", "first_name", "last_name", "dob", "ssn", "email", "phone", "street",
                  "city", "state", "zip", "member_id")  # fmt: skip
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True


class CoverageResource(resources.ModelResource):
    patient = fields.Field(
        column_name="mrn", attribute="patient", widget=widgets.ForeignKeyWidget(Patient, "mrn")
    )

    class Meta:
        model = Coverage
        import_id_fields = ("member_id",)
        fields = ("member_id", "patient", "payer", "mbi", "account")
        clean_model_instances = True


class ProductResource(resources.ModelResource):
    class Meta:
        model = Product
        import_id_fields = ("sku",)
        fields = ("sku", "name", "price", "stock")
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True


class SlotResource(resources.ModelResource):
    starts_at = fields.Field(
        attribute="starts_at", column_name="starts_at",
        widget=widgets.DateTimeWidget(format="%Y-%m-%d %H:%M"),
    )  # fmt: skip

    class Meta:
        model = Slot
        fields = ("id", "starts_at", "room", "minutes", "capacity")
        clean_model_instances = True


class StockItemResource(resources.ModelResource):
    product = fields.Field(
        column_name="sku", attribute="product", widget=widgets.ForeignKeyWidget(Product, "sku")
    )

    class Meta:
        model = StockItem
        fields = ("id", "product", "location", "quantity", "expires_on")
        clean_model_instances = True


class OrderResource(resources.ModelResource):
    class Meta:
        model = Order
        import_id_fields = ("number",)
        fields = ("number", "placed_on", "total")
        clean_model_instances = True
