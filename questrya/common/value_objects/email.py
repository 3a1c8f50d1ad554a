import re
from dataclasses import dataclass

from questrya.common.exceptions import InvalidInputError

# RFC 5322 "atext" for the local part, without quoted strings: what players actually type.
_LOCAL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_MAX_LENGTH = 254
_MAX_LOCAL_LENGTH = 64


@dataclass(frozen=True, slots=True)
class Email:
    """An email address, validated and normalised (trimmed, domain lower-cased, IDNA-encoded).

    The local part keeps its case: only the receiving server may fold it.
    """

    address: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "address", _normalise(self.address))

    def __str__(self) -> str:
        return self.address


def _normalise(raw: str) -> str:
    text = raw.strip()
    local, at, domain = text.rpartition("@")
    if not at or not local or not domain:
        raise InvalidInputError(
            f"invalid email {raw!r}: it needs one @ between a name and a domain"
        )
    if len(local) > _MAX_LOCAL_LENGTH or not _LOCAL.fullmatch(local):
        raise InvalidInputError(f"invalid email {raw!r}: the part before @ is not valid")
    ascii_domain = _ascii_domain(raw, domain)
    address = f"{local}@{ascii_domain}"
    if len(address) > _MAX_LENGTH:
        raise InvalidInputError(f"invalid email {raw!r}: longer than {_MAX_LENGTH} characters")
    return address


def _ascii_domain(raw: str, domain: str) -> str:
    try:
        ascii_domain = domain.lower().encode("idna").decode("ascii")
    except UnicodeError:
        raise InvalidInputError(f"invalid email {raw!r}: the domain is not valid") from None
    labels = ascii_domain.split(".")
    tld = labels[-1]
    if len(labels) < 2 or not all(_LABEL.fullmatch(label) for label in labels) or tld.isdigit():
        raise InvalidInputError(f"invalid email {raw!r}: the domain is not valid")
    return ascii_domain
