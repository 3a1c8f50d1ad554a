"""How a profile looks to scripts (`users list --json`)."""

from pydantic import BaseModel, ConfigDict


class ProfileOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    name: str
    email: str | None
    default: bool
    games: int
