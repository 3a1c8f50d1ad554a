"""Made-up but plausible game titles and platforms: word lists, sequels, editions, unicode."""

import random

ADJECTIVES = (
    "Hollow", "Crimson", "Silent", "Eternal", "Broken", "Forgotten", "Last", "Iron", "Golden",
    "Shadow", "Dark", "Lost", "Wild", "Frozen", "Burning", "Sacred", "Hidden", "Fallen",
    "Ancient", "Electric", "Neon", "Cursed", "Infinite", "Lonely", "Savage", "Quiet", "Astral",
    "Rusty", "Sunken", "Distant", "Super", "Tiny", "Mighty", "Little", "Grand", "Final",
)  # fmt: skip
NOUNS = (
    "Knight", "Kingdom", "Legends", "Odyssey", "Frontier", "Dungeon", "Empire", "Horizon",
    "Souls", "Hunter", "Tactics", "Saga", "Chronicles", "Rebellion", "Garden", "Station",
    "Signal", "Harvest", "Circuit", "Voyage", "Citadel", "Protocol", "Orchard", "Abyss",
    "Carnival", "Lighthouse", "Engine", "Archive", "Paradox", "Requiem", "Racer", "Quest",
    "Fantasy", "Warriors", "Islands", "Drifters", "Ronin", "Wanderer", "Alchemist", "Heist",
)  # fmt: skip
PLACES = (
    "Arcadia", "Valhalla", "Neo Tokyo", "Avalon", "Mars", "the Deep", "the North", "Eldoria",
    "Midgard", "Atlantis", "the Void", "Emerald Falls", "Old Kyoto", "Babylon", "the Moon",
)  # fmt: skip
# Titles players really type with accents, ligatures, other scripts and symbols.
UNICODE_WORDS = (
    "Pokémon", "Ōkami", "Café", "Señor", "Æther", "Brütal", "Naïve", "Öde", "東方", "Ψ-Force",
    "Łódź", "Ça Ira", "Déjà Vu", "Straße", "Mañana", "Ärger", "Ünter", "Ведьмак", "Ακρόπολη",
)  # fmt: skip
SEQUELS = (" 2", " 3", " 4", " II", " III", " IV", " 2: Reloaded", " Zero", " Origins", " 64")
EDITIONS = (
    ": Game of the Year Edition", " Remastered", " Deluxe Edition", " - Director's Cut",
    " Complete Edition", " HD", " Definitive Edition", " Gold", "™", " (2019)", " Remake",
)  # fmt: skip

# Canonical names, a few aliases and one platform the program does not know, with how often
# a backlog holds each (PC and the current consoles first).
PLATFORMS = (
    ("PC", 40), ("Switch", 12), ("PS4", 9), ("PS5", 8), ("Xbox Series X|S", 4), ("Xbox One", 4),
    ("PS3", 3), ("Xbox 360", 3), ("PS2", 2), ("3DS", 2), ("DS", 2), ("steam deck", 2),
    ("Wii", 1), ("Wii U", 1), ("GameCube", 1), ("N64", 1), ("SNES", 1), ("PS1", 1), ("gba", 1),
    ("Mega Drive", 1), ("Dreamcast", 1), ("Mac", 1), ("iOS", 1), ("Android", 1), ("PS Vita", 1),
    ("nintendo switch", 1), ("Amiga", 1),
)  # fmt: skip
_PLATFORM_NAMES = [name for name, _ in PLATFORMS]
_PLATFORM_WEIGHTS = [weight for _, weight in PLATFORMS]


def title(rng: random.Random) -> str:
    """One title: a base of two to six words, sometimes a sequel number, sometimes an edition."""
    text = _base(rng)
    if rng.random() < 0.3:
        text += rng.choice(SEQUELS)
    if rng.random() < 0.12:
        text += rng.choice(EDITIONS)
    return text


def platform(rng: random.Random) -> str:
    return rng.choices(_PLATFORM_NAMES, _PLATFORM_WEIGHTS)[0]


def _base(rng: random.Random) -> str:
    adjective, place = rng.choice(ADJECTIVES), rng.choice(PLACES)
    noun, other = rng.sample(NOUNS, 2)
    shapes = (
        f"{adjective} {noun}",
        f"The {adjective} {noun}",
        f"{noun} of {place}",
        f"{adjective} {noun}: {other} of {place}",
        f"{rng.choice(UNICODE_WORDS)} {noun}",
        f"{noun} {other}",
        f"{adjective} {noun} {other}",
    )
    return rng.choice(shapes)
