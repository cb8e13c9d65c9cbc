"""Query parameters as the schemas state them: each one once, and not empty.

DRF reads query strings like HTML forms, where an empty optional field means
"not given" and a repeated one counts its last value; the published schema
says a date is one date, so `?date=` or `?page_size=1&page_size=2` is a 400.
"""
from rest_framework import serializers


ONCE = "Give this parameter once."


def once(params, name: str) -> str | None:
    """The one value of a query parameter (None when absent); 400 when it is given more than once."""
    values = params.getlist(name) if hasattr(params, "getlist") else [params[name]] if name in params else []
    if len(values) > 1:
        raise serializers.ValidationError({name: [ONCE]})
    return values[0] if values else None


class QuerySerializer(serializers.Serializer):
    def to_internal_value(self, data):
        if hasattr(data, "getlist"):
            wrong = {name: [ONCE] for name in self.fields if len(data.getlist(name)) > 1}
            wrong.update({name: ["May not be blank."] for name, field in self.fields.items()
                          if name not in wrong and data.get(name) == "" and not getattr(field, "allow_blank", False)})
            if wrong:
                raise serializers.ValidationError(wrong)
        return super().to_internal_value(data)
