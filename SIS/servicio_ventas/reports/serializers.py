"""Query parameters of the report endpoints."""
from datetime import timedelta

from rest_framework import serializers

MAX_RANGE_DAYS = 366


class DailyQuerySerializer(serializers.Serializer):
    branch = serializers.IntegerField(min_value=1, required=False)
    date = serializers.DateField(required=False)


class RangeQuerySerializer(serializers.Serializer):
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    group_by = serializers.ChoiceField(choices=["branch", "cashier"], required=False, default="branch")
    branch = serializers.IntegerField(min_value=1, required=False)

    def validate(self, attrs):
        if attrs["date_to"] < attrs["date_from"]:
            raise serializers.ValidationError({"date_to": ["date_to may not be before date_from."]})
        if attrs["date_to"] - attrs["date_from"] > timedelta(days=MAX_RANGE_DAYS):
            raise serializers.ValidationError({"date_to": [f"A range covers at most {MAX_RANGE_DAYS} days."]})
        return attrs
