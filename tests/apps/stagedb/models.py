from django.db import models


class Widget(models.Model):
    name = models.CharField(max_length=50)
    size = models.IntegerField(default=0)

    class Meta:
        app_label = "stagedb"
