"""The organisation: services and their teams."""

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qaf.extensions import db


class Service(db.Model):  # type: ignore[name-defined,misc]
    """A service area, e.g. Early Help Units, Children's Centres, Youth Hubs."""

    __tablename__ = "service"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    teams: Mapped[list["Team"]] = relationship(back_populates="service", order_by="Team.name")


class Team(db.Model):  # type: ignore[name-defined,misc]
    """A team within a service, in a district; responses and audits belong to a team."""

    __tablename__ = "team"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    district: Mapped[str] = mapped_column(String(120), default="")
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"))
    service: Mapped[Service] = relationship(back_populates="teams")

    __table_args__ = (UniqueConstraint("service_id", "name"),)
