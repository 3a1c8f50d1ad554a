"""How the settings look to scripts (`config show --json`)."""

from pydantic import BaseModel, ConfigDict


class SettingOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    key: str
    value: str | int | float | bool | None
    source: str
