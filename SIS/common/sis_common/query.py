"""Query-parameter serializers: a parameter sent empty (`?date=`) is refused, not read as absent.

DRF reads query strings like HTML forms, where an empty optional field means
"not given"; the published schema says a date is a date, so an empty one is a 400.
"""
from rest_framework import serializers


class QuerySerializer(serializers.Serializer):
    def to_internal_value(self, data):
        if hasattr(data, "get"):
            blank = {name: ["May not be blank."] for name, field in self.fields.items()
                     if data.get(name) == "" and not getattr(field, "allow_blank", False)}
            if blank:
                raise serializers.ValidationError(blank)
        return super().to_internal_value(data)
