"""Response rates: how many of the people asked answered, for a period.

Three figures, each against what was asked of whom:
- invitations made in the period against those answered, by form, team and stage (whether an
  invitation was answered, never which response answered it);
- each partner round open in the period: its responses by the type of organisation answering
  (the partner form's respondent question), since a round has no count of partners asked;
- each staff survey wave open in the period: its responses against the staff a QA administrator
  said were asked, as a rate. A wave's rate comes from its count alone, never broken down, so
  no group of staff is small enough to pick anyone out.

Plain values, no Flask and no database: ``qaf.reports.response_rate_counts`` fills them, and the
Response rates page, the dashboard and the workbook's sheet read the same ``rate_tables``.
"""

from dataclasses import dataclass
from datetime import date

from qaf.reports.periods import Period
from qaf.reports.report import Column, Table


def share_of(part: int, whole: int | None) -> float | None:
    """``part`` as a share of ``whole``; None when there is no whole to divide by."""
    return part / whole if whole else None


@dataclass(frozen=True)
class InvitationRate:
    """Invitations made in the period for one form, team and stage, and how many were answered."""

    form: str
    service: str
    team: str
    stage: str
    made: int
    answered: int

    @property
    def share(self) -> float | None:
        return share_of(self.answered, self.made)


@dataclass(frozen=True)
class RoundResponses:
    """A partner round open in the period: its responses for each type of organisation."""

    name: str
    form: str
    opens_on: date
    closes_on: date
    by_agency: tuple[tuple[str, int], ...]  # (type of organisation, responses), every option listed

    @property
    def total(self) -> int:
        return sum(count for _label, count in self.by_agency)


@dataclass(frozen=True)
class WaveRate:
    """A staff survey wave open in the period: its responses against the staff asked."""

    name: str
    form: str
    opens_on: date
    closes_on: date
    staff_count: int | None
    responses: int

    @property
    def share(self) -> float | None:
        return share_of(self.responses, self.staff_count)


@dataclass(frozen=True)
class ResponseRates:
    period: Period
    scope: str
    invitations: tuple[InvitationRate, ...]
    rounds: tuple[RoundResponses, ...]
    waves: tuple[WaveRate, ...]

    @property
    def invitations_made(self) -> int:
        return sum(row.made for row in self.invitations)

    @property
    def invitations_answered(self) -> int:
        return sum(row.answered for row in self.invitations)

    @property
    def invitation_share(self) -> float | None:
        return share_of(self.invitations_answered, self.invitations_made)


RATE = Column("Response rate", "share", 12)
NO_RATE = "No rate: nothing to count it against"


def cell_text(value: object, kind: str) -> str:
    """A cell of ``rate_tables`` as the page shows it (the sheet keeps the numbers and dates)."""
    if value is None:
        return NO_RATE if kind == "share" else "Not given"
    if kind == "share" and isinstance(value, float):
        return f"{value * 100:.1f}%"
    if kind == "int" and isinstance(value, int):
        return f"{value:,}"
    if kind == "date" and isinstance(value, date):
        return f"{value.day} {value:%B %Y}"
    return str(value)


def rate_tables(rates: ResponseRates) -> list[Table]:
    """The three figures as tables: what the page shows and the workbook's Response rates sheet holds."""
    period = rates.period.name
    return [
        Table(
            "Invitation rates",
            f"Invitations made in {period}, and how many were answered: {rates.scope}",
            (
                Column("Form", width=34),
                Column("Service", width=24),
                Column("Team", width=28),
                Column("Stage", width=12),
                Column("Invitations made", "int", 12),
                Column("Answered", "int", 12),
                RATE,
            ),
            [
                (row.form, row.service, row.team, row.stage, row.made, row.answered, row.share)
                for row in rates.invitations
            ],
            f"No invitations were made in {period}.",
        ),
        Table(
            "Partner rounds",
            f"Partner rounds open in {period}: every response to each round, by type of organisation",
            (
                Column("Round", width=30),
                Column("Form", width=34),
                Column("Opens", "date", 12),
                Column("Closes", "date", 12),
                Column("Type of organisation", width=34),
                Column("Responses", "int", 12),
                Column("Share of the round's responses", "share", 14),
            ),
            [
                (item.name, item.form, item.opens_on, item.closes_on, label, count, share_of(count, item.total))
                for item in rates.rounds
                for label, count in item.by_agency
            ],
            f"No partner round was open in {period}.",
        ),
        Table(
            "Staff survey waves",
            f"Staff survey waves open in {period}: every response to each wave, against the staff asked",
            (
                Column("Wave", width=30),
                Column("Form", width=34),
                Column("Opens", "date", 12),
                Column("Closes", "date", 12),
                Column("Staff asked", "int", 12),
                Column("Responses", "int", 12),
                RATE,
            ),
            [
                (wave.name, wave.form, wave.opens_on, wave.closes_on, wave.staff_count, wave.responses, wave.share)
                for wave in rates.waves
            ],
            f"No staff survey wave was open in {period}.",
        ),
    ]
