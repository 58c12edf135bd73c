from django.http import HttpResponse
from django.templatetags.static import static


def home(request):
    return HttpResponse(f'<link rel="stylesheet" href="{static("shop/site.css")}"><p>Shop</p>')
