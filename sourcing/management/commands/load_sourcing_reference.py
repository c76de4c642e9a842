from django.core.management.base import BaseCommand

from sourcing.models import DutyRate, ExchangeRate, FreightRate, MarketRequirement
from sourcing.reference import reference_data_load


class Command(BaseCommand):
    help = "Insert or update exchange rates, freight and duty estimates and market requirements from sourcing/data/."

    def handle(self, *args, **options):
        counts = reference_data_load(
            ExchangeRate=ExchangeRate, FreightRate=FreightRate, DutyRate=DutyRate, MarketRequirement=MarketRequirement
        )
        self.stdout.write(", ".join(f"{name}: {count}" for name, count in counts.items()))
