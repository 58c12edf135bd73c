from django.db import models


class Order(models.Model):
    reference = models.CharField(max_length=32, unique=True)
    placed_at = models.DateTimeField(auto_now_add=True)
    confirmed = models.BooleanField(default=False)

    def __str__(self) -> str:
        return self.reference
