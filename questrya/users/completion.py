"""What a profile's name completes to: the profiles there are."""

from questrya.completion import Candidate, Context, matching, read_side
from questrya.users.views import UserViews


def profiles(ctx: Context, typed: str) -> list[Candidate]:
    return matching(read_side(ctx).get(UserViews).names(), typed)
