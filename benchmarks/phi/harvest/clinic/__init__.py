"""The small Django app whose real emitters the harvester runs (models, forms, serializers)."""
