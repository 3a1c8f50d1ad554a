"""How candidates look to scripts (`games match --json`)."""

from datetime import date

from pydantic import BaseModel


class CandidateOut(BaseModel):
    number: int
    provider: str
    provider_id: str
    title: str
    kind: str
    release_date: date | None
    similarity: float  # a percentage, 0-100
