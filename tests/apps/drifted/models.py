from django.db import models


class Gadget(models.Model):
    name = models.CharField(max_length=50)
    colour = models.CharField(max_length=20, default="red")  # not in any migration

    class Meta:
        app_label = "drifted"
